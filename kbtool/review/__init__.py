"""Review scheduling: intervals, due dates, recording reviews, calendar feed, digest."""
