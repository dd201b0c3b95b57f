"""Pages of complaints (register, 8D editor, work, letters, review)."""
