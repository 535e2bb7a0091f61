"""Product catalogue: products, their availability rules and add-on eligibility."""
