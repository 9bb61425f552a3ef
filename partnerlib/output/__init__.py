"""What people read: charts, tables for people, the per-step views and the plan document."""
