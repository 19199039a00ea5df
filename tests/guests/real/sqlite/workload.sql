-- A workload on a database file (run by sqlite3 -init): tables, inserts, an index, joins, aggregates, a committed
-- and a rolled-back transaction, a savepoint, a view, a trigger, integrity check and .dump. It starts by dropping
-- what an earlier run left, so reruns on the same file print the same.
.bail on
.headers on
.mode list
DROP VIEW IF EXISTS totals;
DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS customers;
DROP TABLE IF EXISTS audit;
PRAGMA journal_mode;
CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER REFERENCES customers(id), item TEXT, amount REAL);
CREATE TABLE audit(n INTEGER PRIMARY KEY, what TEXT);
CREATE TRIGGER order_added AFTER INSERT ON orders BEGIN INSERT INTO audit(what) VALUES ('order ' || NEW.id); END;
INSERT INTO customers(name, city) VALUES ('Ada', 'London'), ('Grace', 'Arlington'), ('Linus', 'Helsinki'), ('Barbara', 'Boston');
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 400)
INSERT INTO orders(customer, item, amount) SELECT 1 + (i * 7) % 4, 'item-' || (i % 13), (i * 37 % 1000) / 10.0 FROM seq;
CREATE INDEX orders_by_customer ON orders(customer, amount);
SELECT count(*) AS orders, sum(amount) AS total FROM orders;
SELECT c.name, count(o.id) AS n, printf('%.2f', sum(o.amount)) AS total, max(o.amount) AS biggest
  FROM customers c LEFT JOIN orders o ON o.customer = c.id GROUP BY c.id ORDER BY total DESC;
EXPLAIN QUERY PLAN SELECT * FROM orders WHERE customer = 2 AND amount > 50;
SELECT item, count(*) FROM orders WHERE customer = 2 AND amount > 90 GROUP BY item ORDER BY item;
BEGIN;
UPDATE orders SET amount = amount * 2 WHERE customer = 3;
INSERT INTO customers(name, city) VALUES ('Dennis', 'Murray Hill');
COMMIT;
BEGIN;
DELETE FROM orders WHERE amount < 50;
INSERT INTO customers(name, city) VALUES ('Nobody', 'Nowhere');
SELECT count(*) AS inside_the_transaction FROM orders;
ROLLBACK;
SELECT count(*) AS after_rollback FROM orders;
SELECT name FROM customers ORDER BY id;
SAVEPOINT sp;
UPDATE customers SET city = 'Cambridge' WHERE name = 'Ada';
ROLLBACK TO sp;
RELEASE sp;
SELECT city FROM customers WHERE name = 'Ada';
CREATE VIEW totals AS SELECT customer, round(sum(amount), 1) AS total FROM orders GROUP BY customer;
SELECT * FROM totals ORDER BY customer;
SELECT count(*) AS audited FROM audit;
DELETE FROM audit WHERE n > 5;
PRAGMA integrity_check;
.dump customers audit totals
.quit
