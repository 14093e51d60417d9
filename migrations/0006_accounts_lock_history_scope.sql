ALTER TABLE `agents` ADD `locked_until` integer;--> statement-breakpoint
-- Seeing everyone's calls in the history became a permission of its own (call_history.view_all);
-- the built-in supervisor role keeps seeing them, as before.
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_history.view_all')
WHERE `built_in` = 'supervisor'
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_history.view_all');
