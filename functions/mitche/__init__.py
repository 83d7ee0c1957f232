"""Mitché's backend: data model, domain rules, Firestore services and Cloud Functions adapters."""
