-- A device's row is updated every few seconds (its last-seen time, written for the whole fleet in statements of 500),
-- so its pages keep room for the next versions: an update then stays on its page (heap-only) and touches no index.
-- On full pages each new version went to another page and into all three indexes, and the embedded database has no
-- autovacuum to take the old ones back: 2,500 devices heard from 100 times grew the table to 6.2 MB, 8.0 ms a
-- statement of 500; with half of each page free, 0.6 MB, 6.4 ms, and 99.8 % of the updates heap-only. Half, because a
-- round updates every device: at 70 % the room held a third of a page's rows and the rest still moved (6 -> 17 pages
-- for 300 devices heard from 40 times, against 6 -> 94 on full pages). New pages follow the setting; pages already
-- full make room as their old versions are pruned.
alter table devices set (fillfactor = 50);
