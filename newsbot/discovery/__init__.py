"""Discovery sources: sitemaps, feeds, listing pages and the numeric id walk (pure helpers)."""
