"""CôngVụ — the platform on which a province runs its Public Service Culture programme."""
