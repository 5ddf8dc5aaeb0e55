"""A run's life: plan, session (lock, interrupts, worker pool), crawl, publish, record."""
