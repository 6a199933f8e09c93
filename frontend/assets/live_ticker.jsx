// Calls `onTick` every `intervalMs` while the page is visible, and once at once when it becomes
// visible again. Renders nothing. The timer ends with the page, so nothing polls for a closed tab.
import { useEffect, useRef } from "react";

export function LiveTicker({ intervalMs = 4000, onTick }) {
  const tick = useRef(onTick);
  tick.current = onTick;
  useEffect(() => {
    const fire = () => {
      if (document.visibilityState === "visible") tick.current?.();
    };
    const timer = setInterval(fire, intervalMs);
    document.addEventListener("visibilitychange", fire);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", fire);
    };
  }, [intervalMs]);
  return null;
}
