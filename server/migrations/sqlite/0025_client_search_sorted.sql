-- Client search at region scale, part three (issue 18). A search with a thousand
-- matches or more in scope ("kowal" over a region's 100,000 clients: 5,556) no longer
-- sorts every match for a page of 50: it walks the order table in the list's order and
-- stops at the page's last match (`routes::clients`, `Source::Sorted`). The index holds
-- the sort key and, implicitly, the row id that breaks its ties: the list's order.
CREATE INDEX client_search_order_sorted ON client_search_order (sort_key);
