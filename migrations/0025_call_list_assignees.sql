ALTER TABLE `call_list_customers` ADD `assignee_id` integer REFERENCES agents(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `call_list_customers_assignee_idx` ON `call_list_customers` (`assignee_id`);--> statement-breakpoint
-- Permissions added after the built-in roles of an older database were made, given to them as
-- defaultPermissions gives them to new ones: 顧客編集 of the call-list customers (A.13), and
-- everyone's CSV upload jobs (csv_upload.view_all, which supervisors lacked since it came).
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'call_list_customers.update')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'call_list_customers.update');--> statement-breakpoint
UPDATE `roles` SET `permissions` = json_insert(`permissions`, '$[#]', 'csv_upload.view_all')
WHERE `built_in` IN ('system_admin', 'supervisor')
  AND NOT EXISTS (SELECT 1 FROM json_each(`roles`.`permissions`) WHERE `value` = 'csv_upload.view_all');
