"""Flow 3: bulk upload of trusted contacts from CSV files."""
