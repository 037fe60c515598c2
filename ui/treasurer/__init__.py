"""The treasurer's panel (bendahara penerimaan): payments, kuitansi, deposits, daily closing, exports."""

from ui.treasurer.window import TreasurerWindow

__all__ = ["TreasurerWindow"]
