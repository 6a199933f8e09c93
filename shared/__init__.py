"""Wire schemas (msgspec Structs) shared by the BFF and the Reflex app."""
