"""Integrations with crawling frameworks. Each module imports its framework, so import only the one you use:
:mod:`scrapecheck.contrib.scrapy` (needs ``pip install 'scrapecheck[scrapy]'``)."""
