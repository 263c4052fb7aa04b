"""Pure building blocks shared by every domain: money, time and errors."""
