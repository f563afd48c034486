"""What the journal says over a period, split by what each part does.

- `loading`: the records of a date range, read in a fixed number of queries;
- `periods`: the ranges the pages offer, and a period's numbers in words;
- `buckets`: the month calendar and the weeks or months of the trend charts;
- `factors`: what goes with cramp nights;
- `medication_changes`: cramp nights before and after a medicine was started or stopped.

Everything but `loading` is pure and works on the records it returns. Only logged nights (a
Night row) count: a night not logged is never a night without cramps.
"""
