"""registre: the register of deliberations of French local assemblies."""

__version__ = "0.1.0"
