"""Initial grading (DESIGN §3, 初始定级): the level computed from years of service, submitted by the township and
decided by the county."""
