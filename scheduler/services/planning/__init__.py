"""Planning: snapshot the stored data, solve, store the draft, diff it, publish it; as jobs."""
