"""The dashboard's pages: one router per group, collected in web/app.py."""
