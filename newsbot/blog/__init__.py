"""The blog repository: what it has (the index of posts), git commits and pushes, post checks
and site builds."""
