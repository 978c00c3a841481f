"""kg: Chinese local-government news → knowledge graph."""
__version__ = "0.1.0"
