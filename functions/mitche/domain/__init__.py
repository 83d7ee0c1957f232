"""Mitché's rules of the game as plain Python: no Firestore client, no CloudEvents."""
