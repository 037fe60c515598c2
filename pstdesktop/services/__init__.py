"""Every rule of the PST procedure. A service function takes a session and plain arguments (and the
acting ``Actor``), completes its whole step inside the caller's transaction or raises a
``DomainError`` — the caller's unit of work then rolls back, so nothing is changed."""
