"""Impact analysis: what a change of the law (real, announced or hypothetical) does to a portfolio."""
