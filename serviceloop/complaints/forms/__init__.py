"""Forms of complaints (register, 8D editor, letters)."""
