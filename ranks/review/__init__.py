"""The promotion review (DESIGN §5): the pure rules (``rules``), the facts they read (``facts``), review
runs (``services``, ``writing``), the proposal workflow (``decisions``), selectors, pages, API, demo."""
