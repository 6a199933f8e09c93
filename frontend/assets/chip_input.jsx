// A bare text input for typing tags. Enter or a comma (or pasted text with commas or semicolons)
// turns the typed text into chips at once, in the browser, so fast typing never races the server:
// the box is emptied in the same key press and the committed text goes to `onCommit`.
const SEPARATORS = /[,;]/;

export function ChipInput({ onCommit, onDraft, onRemoveLast, ref, ...props }) {
  const commit = (box, text, rest) => {
    box.value = rest;
    if (text.trim()) onCommit?.(text);
    onDraft?.(rest);
  };
  const handleKeyDown = (event) => {
    const box = event.currentTarget;
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      commit(box, box.value, "");
    } else if (event.key === "Backspace" && box.value === "") {
      onRemoveLast?.();
    }
  };
  const handleChange = (event) => {
    const box = event.currentTarget;
    const parts = box.value.split(SEPARATORS);
    if (parts.length > 1) {
      commit(box, parts.slice(0, -1).join(","), parts[parts.length - 1]);
    } else {
      onDraft?.(box.value);
    }
  };
  return <input {...props} ref={ref} type="text" onKeyDown={handleKeyDown} onChange={handleChange} />;
}
