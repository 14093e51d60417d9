-- The FAQ full-text index (crm/faqs/search.ts): FTS5 with the trigram tokenizer, so Japanese
-- text, which has no spaces between words, is found by any run of 3 or more characters.
-- External content: the text lives once, in faqs; faq_search keeps only the index, and these
-- triggers keep it in step in the same statement (so in the same transaction) as each change.
CREATE VIRTUAL TABLE `faq_search` USING fts5(title, details, content='faqs', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `faqs_search_insert` AFTER INSERT ON `faqs` BEGIN
  INSERT INTO faq_search(rowid, title, details) VALUES (new.id, new.title, new.details);
END;
--> statement-breakpoint
CREATE TRIGGER `faqs_search_delete` AFTER DELETE ON `faqs` BEGIN
  INSERT INTO faq_search(faq_search, rowid, title, details) VALUES ('delete', old.id, old.title, old.details);
END;
--> statement-breakpoint
CREATE TRIGGER `faqs_search_update` AFTER UPDATE OF title, details ON `faqs` BEGIN
  INSERT INTO faq_search(faq_search, rowid, title, details) VALUES ('delete', old.id, old.title, old.details);
  INSERT INTO faq_search(rowid, title, details) VALUES (new.id, new.title, new.details);
END;
--> statement-breakpoint
INSERT INTO faq_search(faq_search) VALUES ('rebuild');
