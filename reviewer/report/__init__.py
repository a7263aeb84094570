"""Report writers: they see only the document, its contract facts, provisions and findings."""
