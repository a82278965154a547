"""The dashboard: its queries (``levels``, ``outcomes``, ``allowance``, ``work``, assembled by
``board``) apart from their chart presentation (``charts``)."""
