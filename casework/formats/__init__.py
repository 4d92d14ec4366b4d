"""Date and number formats per interface language (settings.FORMAT_MODULE_PATH)."""
