"""Mass evaluation by villagers (DESIGN §11): rounds, one-time codes on printed slips, anonymous ballots,
two-person paper tallies, and the results that fill the annual mass-evaluation score once."""
