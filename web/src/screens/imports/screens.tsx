/**
 * The CSV upload screens (§10-13) in the CRM tab: CSVアップロード in the menu, the past uploads and
 * one upload's report reached from it. The CRM menu lists them with one entry (crm/menu.tsx).
 */
import type { Screen } from '../../app/screens';
import { ImportJobScreen, ImportJobsScreen } from './ImportJobsScreen';
import { UploadScreen } from './UploadScreen';
import './imports.css';

export const IMPORT_SCREENS: Screen[] = [
  {
    path: '/crm/imports',
    tab: 'crm',
    title: 'crmCsvUpload',
    permission: 'csv_upload.upload',
    view: UploadScreen,
    inMenu: true,
  },
  {
    path: '/crm/imports/jobs',
    tab: 'crm',
    title: 'crmCsvUpload',
    permission: 'csv_upload.view',
    view: ImportJobsScreen,
  },
  {
    path: '/crm/imports/jobs/:id',
    tab: 'crm',
    title: 'crmCsvUpload',
    permission: 'csv_upload.view',
    view: ({ params }) => <ImportJobScreen key={params.id} id={params.id ?? ''} />,
  },
];
