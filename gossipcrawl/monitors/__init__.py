"""Spidermon monitors run when a crawl closes (`suite`), and the JSON/HTML crawl report
they leave behind (`report`)."""
