"""The admin's "Import a statement" screen needs a model to hang on: a proxy of Document, with no table."""

from .corpus import Document


class StatementImport(Document):
    """The admin's "Import a statement" screen (upload, preview, confirm); a proxy with no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "statement import"
        verbose_name_plural = "import a statement"
