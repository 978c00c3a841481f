"""Facts from one article: persons, titles, participation, dates, events, entities."""
