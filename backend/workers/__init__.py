"""Worker accounts: platform-wide people who can be trusted contacts of many companies."""
