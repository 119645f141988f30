"""The ``briefgen`` subcommands, one module each (``build``, ``check``, ``list``, ``sources``,
``init``, ``schema``, ``add_source``, ``quote``, ``watch``, ``search``, ``timeline``), each with
a ``run(args)``. Imported only when a command runs."""
