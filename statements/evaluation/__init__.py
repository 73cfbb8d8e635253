"""How well the machine tagging reproduces the gold set (fixtures/gold/): one module per signal."""
