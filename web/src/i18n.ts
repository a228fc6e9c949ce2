import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next, useTranslation } from 'react-i18next';
import { codesEn } from './locales/codes.en';
import { codesRu } from './locales/codes.ru';

/**
 * The portal's words in Russian and English: the labels below, and (in locales/) every code
 * the API sends — statuses, next actions, invoice lines, problems — with its parameters.
 */
const en = {
  appName: 'Partner platform',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signInHelp: 'Sign in with your account at the identity provider; you come back here afterwards.',
  signInWithProvider: 'Sign in',
  signInUnconfigured:
    'Sign-in is not configured: the administrator names the identity provider (OIDC_ISSUER).',
  developerSignIn: 'For developers',
  developerSignInHelp: 'Sign in with a token (development and tests only)',
  signInWithToken: 'Sign in with the token',
  token: 'Access token',
  tokenHelp: 'Paste a bearer token, e.g. one `npm run token` printed.',
  devIdentities: 'Development identities',
  devIdentitiesHelp: 'Available in development only: sign in as one of them.',
  language: 'Language',
  // partner
  overview: 'Overview',
  application: 'Application',
  invoices: 'Invoices',
  rebates: 'Rebates',
  exit: 'Leaving the program',
  partnerStatus: 'Partner status',
  status_active: 'Partner',
  status_leaving: 'Leaving',
  status_left: 'Left the program',
  status_revoked: 'Status revoked',
  notPartnerYet: 'Your organization is not a partner yet.',
  startApplication: 'Start an application',
  memberSince: 'Partner since',
  exitDate: 'Exit date',
  programs: 'Programs',
  runningInvoice: 'This month’s running invoice',
  asOf: 'as of',
  consumption: 'Consumption',
  grants: 'Grants',
  bonus: 'Partner bonus',
  dealUplift: 'of it, deal uplift',
  rebateWithdrawn: 'Rebate withdrawn to bonus',
  payable: 'Payable',
  vatIncluded: 'VAT included',
  bonusChart: 'Partner bonus over the last 12 months',
  relative: 'relative',
  noData: 'Nothing yet.',
  steps: 'Steps',
  nextAction: 'Next',
  history: 'History',
  step_start: 'Start',
  step_sign_in: 'Sign-in',
  step_application: 'Application and company',
  step_partnership_type: 'Partnership type',
  step_billing_account: 'Billing account',
  step_manager_review: 'Manager review',
  step_decision: 'Decision',
  number: 'Number',
  month: 'Month',
  kind: 'Kind',
  issued: 'Issued',
  due: 'Due',
  lines: 'Lines',
  rule: 'Rule',
  amount: 'Amount',
  documents: 'Documents',
  doc_act: 'Act',
  'doc_payment-invoice': 'Payment invoice',
  'doc_vat-invoice': 'VAT invoice',
  balance: 'Rebate balance',
  ledger: 'Ledger',
  withdraw: 'Withdraw',
  target: 'To',
  target_bonus: 'Bonus (reduces this month’s invoice)',
  target_bank: 'Bank account',
  withdrawn: 'Withdrawn',
  giveNotice: 'Give notice',
  noticeHelp: 'At least 30 days ahead; leave the date empty for 30 days from today.',
  withdrawNotice: 'Withdraw the notice',
  noticeGiven: 'Notice given: the partnership ends on',
  // partner: deals, projects, presale requests, specializations
  dealsAndProjects: 'Deals & projects',
  presaleRequests: 'Presale requests',
  specializationsNav: 'Specializations',
  noRegistrations: 'No registered deals or projects yet.',
  customerOrScope: 'Customer or cloud',
  reviewDueBy: 'Review due by',
  dealTermStart: 'Linked from',
  dealTermEnd: 'Term ends',
  innShort: 'INN',
  dealCustomer: 'Customer',
  existingCustomer: 'My customer (subaccount)',
  prospectiveCustomer: 'Prospective customer, by INN',
  noCustomersYet:
    'You have no customer subaccounts yet: register a prospective customer by its INN.',
  customerInnHint: '10 digits for a company, 12 for an individual entrepreneur',
  expectedMonthlyConsumption: 'Expected consumption per month, ₽',
  rublesPerMonthHint: 'Rubles, e.g. 150000.00',
  dealDescriptionHint: 'What the customer plans to run in the cloud',
  sentForReview: 'Sent for review.',
  scope_cloud: 'Whole cloud',
  scope_folder: 'Folder in a cloud',
  cloudIdLabel: 'Cloud ID',
  folderIdLabel: 'Folder ID',
  projectCloudHint: 'A cloud where your customers consume',
  expectedGrowthHint: 'How and when consumption there will grow',
  baselineNote:
    'The baseline is the average monthly consumption there over the three full months before registration; the manager may adjust it.',
  decidedAt: 'Decided',
  projectRegisteredOn: 'Registered on',
  renewalOf: 'Renews',
  previousRegistration: 'the previous registration',
  renewDeal: 'Renew the deal',
  renewHelpApproved: 'Renewing extends the deal by one more term from its end date.',
  renewHelpExpired:
    'The deal has expired: renewing registers the customer again, and managers review it like a new deal.',
  statusChange: 'Change',
  noPresaleRequests: 'No presale requests yet.',
  answeredAt: 'answered',
  askPresale: 'Ask for a presale expert',
  presaleAbout: 'Request about',
  aboutCustomer: 'A customer',
  aboutProject: 'A registered project',
  presaleProject: 'Project',
  noProjectsYet: 'You have no registered projects yet.',
  topicHint: 'e.g. moving 1C to the cloud',
  sendRequest: 'Send the request',
  requestSent: 'Request sent.',
  presaleDeclineReason: 'Reason for declining',
  commentsClosed: 'The request is closed: no more comments.',
  noComments: 'No comments yet.',
  yourComment: 'Your comment',
  specializationCatalogue: 'Specialization catalogue',
  specializationName: 'Specialization',
  requirementsColumn: 'Requirements',
  minCertifiedEngineers: 'Certified engineers required',
  noneHeld: 'You hold no specializations yet.',
  heldFrom: 'From',
  heldTo: 'Until',
  heldOpenEnded: 'no end date',
  specializationApplications: 'My specialization applications',
  noApplications: 'No applications yet.',
  refusalReason: 'Reason for refusal',
  applyForSpecialization: 'Apply for a specialization',
  evidenceHint: 'Certificates, customer projects: what the manager will check',
  sendApplication: 'Apply',
  applicationSent: 'Application sent.',
  msk: 'MSK',
  firstAnswer: 'First answer',
  mySpecializations: 'My specializations',
  percentagePoints: 'pp',
  perQuarter: 'a quarter',
  engineersShort: 'Engineers',
  // manager
  reviewQueue: 'Review queue',
  partners: 'Partners',
  company: 'Company',
  deadline: 'Deadline',
  businessDaysLeft: 'Business days left',
  overdue: 'Overdue',
  escalated: 'Escalated',
  open: 'Open',
  companyCard: 'Company card',
  verification: 'Billing verification',
  approve: 'Approve',
  reject: 'Reject',
  reason: 'Reason',
  revoke: 'Revoke',
  workflow: 'Workflow in Temporal',
  registerDeal: 'Register a deal',
  registerProject: 'Register a project',
  customerAccount: 'Customer subaccount',
  upliftRate: 'Uplift rate',
  startDate: 'Start date',
  scope: 'Scope',
  cloudId: 'Cloud',
  folderId: 'Folder',
  baseline: 'Monthly baseline',
  rate: 'Rate',
  save: 'Save',
  done: 'Done.',
  // manager console: applications, partners, a partner’s page
  mc_applications: 'Applications',
  mc_allStatuses: 'All',
  mc_noApplications: 'No applications in this status.',
  mc_started: 'Started',
  mc_submitted: 'Sent for review',
  mc_innKpp: 'INN / KPP',
  mc_ogrn: 'OGRN',
  mc_companyKind: 'Legal form',
  mc_kind_legal_entity: 'Legal entity',
  mc_kind_individual_entrepreneur: 'Individual entrepreneur',
  mc_registeredOn: 'Registered on',
  mc_registryStatus: 'Status in the registry',
  mc_company_active: 'Operating',
  mc_company_liquidating: 'Being liquidated',
  mc_company_liquidated: 'Liquidated',
  mc_noCompanyYet: 'The applicant has not given the company yet.',
  mc_partnership: 'Partnership',
  mc_action: 'Action',
  mc_questionnaire: 'Questionnaire',
  mc_companySize: 'Company size, employees',
  mc_specializations: 'Specializations',
  mc_notAnsweredYet: 'Not answered yet.',
  mc_bankCheck: 'Billing account and bank check',
  mc_billingAccount: 'Billing account',
  mc_source_existing: 'An existing account of the organization',
  mc_source_created: 'Created during the application',
  mc_verif_not_requested: 'Not requested',
  mc_verif_pending: 'Being checked by billing',
  mc_verif_approved: 'Verified',
  mc_verif_rejected: 'Refused by billing',
  mc_upgradedToPaid: 'Switched to paid',
  mc_yes: 'yes',
  mc_no: 'no',
  mc_noAccountYet: 'No billing account chosen yet.',
  mc_bankDetails: 'Bank details',
  mc_noBankDetails: 'Not given.',
  mc_review: 'Review',
  mc_step: 'Step',
  mc_toPartner: 'The partner’s page',
  mc_search: 'Search',
  mc_searchHint: 'Name, INN or organization',
  mc_noPartners: 'No partners found.',
  mc_name: 'Name',
  mc_organization: 'Organization',
  mc_previous: 'Previous',
  mc_next: 'Next',
  mc_of: 'of',
  mc_tab_overview: 'Overview',
  mc_tab_deals: 'Deals & projects',
  mc_tab_invoices: 'Invoices',
  mc_tab_rebates: 'Rebates',
  mc_tab_customers: 'Customers',
  mc_tab_specializations: 'Specializations',
  mc_workflowExit: 'exit notice',
  mc_workflowRevocation: 'revocation',
  mc_revokeHelp: 'Revoking ends the partnership at once: the final invoice and payouts follow.',
  mc_revokeConfirm: 'Revoke the partner status? This cannot be undone.',
  mc_deals: 'Deals',
  mc_projects: 'Projects',
  mc_registrations: 'Registrations by the partner',
  mc_noDeals: 'No deals yet.',
  mc_noProjects: 'No projects yet.',
  mc_noRegistrations: 'The partner has registered nothing yet.',
  mc_registeredBy: 'Registered by',
  mc_rebateMonths: 'Rebate months',
  mc_noInvoices: 'No invoices yet.',
  invoiceTitle: 'Invoice',
  mc_invoice_monthly: 'Monthly',
  mc_invoice_interim: 'Interim',
  mc_invoice_final: 'Final',
  mc_noLedger: 'No rebate entries yet.',
  mc_balanceAfter: 'Balance after',
  mc_ledger_project_rebate: 'Project rebate',
  mc_ledger_specialization_rebate: 'Specialization rebate',
  mc_ledger_withdrawal_to_bonus: 'Withdrawn to the invoice',
  mc_ledger_withdrawal_to_bank: 'Withdrawn to the bank',
  mc_ledger_final_payout: 'Final payout',
  mc_noCustomers: 'The partner has no customer subaccounts yet.',
  mc_subaccount: 'Subaccount',
  mc_opened: 'Opened',
  mc_chooseCustomer: 'Choose a customer…',
  mc_noCustomersForDeal:
    'The partner has no customer subaccounts: it opens them in its portal, then a deal can link one.',
  mc_dealEnd: 'Linked until',
  mc_dealEndHint: 'Leave empty for an open-ended link.',
  // review of deals, projects, specializations and presale requests
  presaleDesk: 'Presale requests',
  allKinds: 'All',
  kind_application: 'Application',
  kind_deal: 'Deal',
  kind_project: 'Project',
  kind_specialization: 'Specialization',
  kind_presale: 'Presale',
  subject: 'Subject',
  status: 'Status',
  reviewBy: 'Review by',
  backToQueue: 'Back to the queue',
  decisions: 'Decisions',
  who: 'Who',
  when: 'When',
  fromTo: 'From → to',
  why: 'Why',
  st_draft: 'Draft',
  st_awaiting_billing_verification: 'Awaiting billing verification',
  st_in_review: 'In review',
  st_pending: 'Pending review',
  st_approved: 'Approved',
  st_rejected: 'Rejected',
  st_cancelled: 'Cancelled',
  st_expired: 'Expired',
  st_open: 'Open',
  st_granted: 'Granted',
  st_refused: 'Refused',
  st_withdrawn: 'Withdrawn',
  st_new: 'New',
  st_assigned: 'Assigned',
  st_in_progress: 'In progress',
  st_done: 'Done',
  st_declined: 'Declined',
  dealRegistration: 'Deal registration',
  projectRegistration: 'Project registration',
  customer: 'Customer',
  customerInn: 'Customer INN',
  expectedConsumption: 'Expected consumption per month',
  description: 'Description',
  expectedGrowth: 'Expected growth',
  baselineDefault: 'Baseline: average of the three full months before',
  submitted: 'Submitted',
  submittedBy: 'Submitted by',
  decision: 'Decision',
  upliftHint: 'A fraction, e.g. 0.05 for 5 percentage points; at most 0.15.',
  rateHint: 'A fraction, e.g. 0.10 for 10 %; at most 0.15.',
  adjustedBaseline: 'Adjusted monthly baseline (optional)',
  reasonRequired: 'A reason is required to reject.',
  linkedPeriod: 'Linked',
  approvedRate: 'Approved rate',
  specializationApplication: 'Specialization application',
  evidence: 'Evidence',
  certifiedEngineers: 'Certified engineers',
  catalogueRequirements: 'Catalogue requirements',
  minEngineers: 'Certified engineers required',
  services: 'Services',
  quarterlyRate: 'Quarterly rebate',
  enoughEngineers: 'enough',
  tooFewEngineers: 'too few',
  grant: 'Grant',
  refuse: 'Refuse',
  firstDay: 'First day',
  lastDay: 'Last day',
  firstDayHint: 'Today when left empty.',
  heldSpecializations: 'Specializations',
  withdrawSpecialization: 'Withdraw',
  heldUntilWithdrawn: 'until withdrawn',
  presaleRequest: 'Presale request',
  topic: 'Topic',
  desiredDate: 'Desired date',
  assignee: 'Assignee',
  firstAnswerBy: 'First answer by',
  customerOrProject: 'Customer or project',
  statusHistory: 'Status history',
  comments: 'Comments',
  addComment: 'Add a comment',
  send: 'Send',
  assignToMe: 'Assign to me',
  startWork: 'Start work',
  markDone: 'Mark done',
  decline: 'Decline',
  nextMoves: 'Next steps',
  noMoves: 'The request is closed: nothing more to do.',
  author_staff: 'staff',
  author_partner: 'partner',
  presaleConsole: 'Presale',
  reasonToDecline: 'Why it is declined',
  // finance
  closes: 'Month closes',
  closeMonth: 'Close a month',
  fin_month: 'Month',
  fin_totals: 'Month totals',
  fin_invoiceCount: 'Invoices issued',
  fin_kinds: 'monthly / interim / final',
  fin_commission: 'Referral commission statements',
  fin_payouts: 'Payouts dated in the month',
  fin_vat: 'VAT',
  fin_inn: 'INN',
  fin_downloads: 'Downloads',
  fin_csvInvoices: 'Invoices (CSV)',
  fin_csvLines: 'Invoice lines (CSV)',
  fin_xlsx: 'Invoices and lines (XLSX)',
  fin_zip: 'All documents (ZIP)',
  fin_csvNote:
    'CSV files open in Excel with Russian settings: “;” between fields, a decimal comma.',
  fin_reconciliation: 'Reconciliation',
  fin_recConsumption: 'Consumption of the month',
  fin_recBilled: 'Billed for it',
  fin_recPending: 'Waiting for the next close',
  fin_recDifference: 'Difference',
  fin_recMissing: 'Lines not billed',
  fin_recOk: 'Everything is billed to the kopeck.',
  fin_recFlagged: 'The month does not reconcile: check the difference.',
  fin_notClosed: 'The month has not been closed.',
  fin_backToMonth: 'Back to the month',
  fin_payoutRegister: 'Payout register',
  fin_allStatuses: 'All statuses',
  fin_exportCsv: 'Export (CSV)',
  fin_reference: 'Reference',
  fin_bank: 'Bank details',
  fin_date: 'Date',
  fin_status: 'Status',
  payoutKind_rebate_withdrawal: 'Rebate withdrawal to the bank',
  payoutKind_commission: 'Referral commission',
  payoutKind_final_payout: 'Final payout on leaving',
  payoutStatus_awaiting_bank_details: 'Awaiting bank details',
  payoutStatus_payable: 'To be paid',
  payoutStatus_paid: 'Paid',
  invoiceKind_monthly: 'Monthly',
  invoiceKind_interim: 'Interim',
  invoiceKind_final: 'Final',
  closeStatus_running: 'Running',
  closeStatus_completed: 'Completed',
  progress: 'Progress',
  started: 'Started',
  completed: 'Completed',
  partnerName: 'Partner',
  show: 'Show',
  forbidden: 'This page is not available for your role.',
  notFound: 'Not found.',
  loading: 'Loading…',
  contactName: 'Contact person',
  phone: 'Phone',
  existingAccount: 'Existing billing account',
  inn: 'Company INN',
  continue: 'Continue',
  address: 'Address',
  confirmCompany: 'This is my company',
  notMyCompany: 'Not my company',
  video: 'Information video',
  videoHelp: 'Watch the video about the partner program to the end to continue.',
  play: 'Play',
  taxationType: 'Taxation',
  tax_general_with_vat: 'General, with VAT',
  tax_simplified: 'Simplified',
  tax_patent: 'Patent',
  tax_unified_agricultural: 'Unified agricultural tax',
  companySize: 'Company size',
  specializations: 'Specializations (comma-separated)',
  customerCount: 'Number of customers',
  motivation: 'Why partner with us',
  bik: 'BIK',
  settlementAccount: 'Settlement account',
  verificationRejected: 'The billing system refused the account',
  accountName: 'Account name',
  business: 'Business',
  individualEntrepreneur: 'Individual entrepreneur',
  cancelApplication: 'Cancel the application',
  identityMethod: 'Signed in with',
  identity_existing_account: 'An existing cloud account',
  identity_new_id: 'A new ID',
  identity_sso_federation: 'SSO federation',
  // partner: referrals, customers, notifications, confirmations, bank details
  back: 'Back',
  moscowTime: '(Moscow time)',
  customersNav: 'Customers',
  referralsNav: 'Referrals',
  notificationsNav: 'Notifications',
  bonusAxis: 'Bonus, ₽',
  bonusRelativeNote: 'Under each month: the bonus as a share of the eligible base',
  noBonusYet: 'No month-end invoices yet: the bonus of each closed month will appear here.',
  noInvoices: 'No invoices yet: the first is issued when a month is closed.',
  noLedger: 'No rebate entries yet.',
  balanceAfter: 'Balance after',
  applicationRejected: 'The application was rejected',
  noReasonGiven: 'The manager gave no reason.',
  cancelApplicationConfirm: 'Cancel the application?',
  cancelApplicationHelp: 'A cancelled application cannot be resumed: you would start a new one.',
  withdrawConfirmTitle: 'Withdraw from the rebate balance?',
  withdrawConfirm: 'Confirm the withdrawal',
  withdrawConfirm_bonus: 'The amount reduces this month’s invoice; it cannot be undone.',
  withdrawConfirm_bank: 'The amount is paid to the bank details on file; it cannot be undone.',
  giveNoticeConfirmTitle: 'Give notice to leave the program?',
  giveNoticeConfirm: 'Yes, give notice',
  giveNoticeConsequence:
    'On the exit date the partnership ends: final invoice, final commission statement and the rebate balance paid out. You can withdraw the notice until then.',
  withdrawNoticeHelp: 'Withdrawing the notice keeps the partnership as it is.',
  withdrawNoticeConfirmTitle: 'Withdraw the exit notice?',
  withdrawNoticeConfirm: 'Yes, stay in the program',
  bankDetails: 'Bank details for payouts',
  bankDetailsHelp:
    'Rebate withdrawals to the bank and the final payout on leaving are paid to this account.',
  bikHint: '9 digits',
  accountHint: '20 digits, at the bank of this BIK',
  saveBankDetails: 'Save the bank details',
  bankDetailsSaved: 'The bank details are saved.',
  bankDetailsUnchanged: 'These bank details were already on file.',
  finalPayoutPaid: 'The held final payout has been paid:',
  finalPayoutHeld: 'The final payout is still held:',
  referralLink: 'Your referral link',
  copyLink: 'Copy',
  linkCopied: 'The link is copied.',
  linkCopyFailed: 'The browser did not allow copying: select the link and copy it.',
  referralCode: 'Code',
  createdOn: 'created',
  referralHelp:
    'A customer who signs up through this link is attributed to you; you earn commission on its paid consumption.',
  notReferralPartner: 'Your organization is not in the referral program.',
  referredCustomers: 'Customers who came through your link',
  noReferrals: 'No customer has signed up through your link yet.',
  signedUpAt: 'Signed up (Moscow time)',
  commissionFrom: 'Commission from',
  commissionUntil: 'Commission until',
  openEnded: 'no end date',
  commissionStatements: 'Commission statements',
  commissionStatement: 'Commission statement',
  noStatements:
    'No commission statements yet: one is issued for each closed month with commission.',
  statement_monthly: 'Monthly',
  statement_final: 'Final (on leaving)',
  commissionBase: 'Base',
  commission: 'Commission',
  consumptionMonth: 'Consumption month',
  total: 'Total',
  paidTo: 'Paid to',
  customerName: 'Customer name',
  subaccount: 'Subaccount',
  openedAt: 'Opened (Moscow time)',
  noCustomers: 'No customers yet: open a subaccount for your first customer below.',
  openCustomer: 'Open a customer subaccount',
  openCustomerHelp: 'A resident business paying by invoice, under your own billing account.',
  customerOpened: 'Opened:',
  optional: 'optional',
  noNotifications: 'No notifications yet.',
  sentTo: 'Sent to',
  delivered: 'delivered',
  notDeliveredYet: 'not delivered yet',
  email: 'E-mail',
  moscowTimeShort: 'Moscow time',
};

export type MessageKey = keyof typeof en;

const ru: Record<MessageKey, string> = {
  appName: 'Партнёрская программа',
  signIn: 'Войти',
  signOut: 'Выйти',
  signInHelp:
    'Войдите с учётной записью у поставщика удостоверений; после входа вы вернётесь сюда.',
  signInWithProvider: 'Войти',
  signInUnconfigured:
    'Вход не настроен: администратор должен указать поставщика удостоверений (OIDC_ISSUER).',
  developerSignIn: 'Для разработчиков',
  developerSignInHelp: 'Вход по токену (только при разработке и в тестах)',
  signInWithToken: 'Войти по токену',
  token: 'Токен доступа',
  tokenHelp: 'Вставьте bearer-токен, например выданный командой `npm run token`.',
  devIdentities: 'Пользователи для разработки',
  devIdentitiesHelp: 'Только в режиме разработки: войдите как один из них.',
  language: 'Язык',
  overview: 'Обзор',
  application: 'Заявка',
  invoices: 'Счета',
  rebates: 'Ребейты',
  exit: 'Выход из программы',
  partnerStatus: 'Статус партнёра',
  status_active: 'Партнёр',
  status_leaving: 'Выходит из программы',
  status_left: 'Вышел из программы',
  status_revoked: 'Статус отозван',
  notPartnerYet: 'Ваша организация ещё не партнёр.',
  startApplication: 'Подать заявку',
  memberSince: 'Партнёр с',
  exitDate: 'Дата выхода',
  programs: 'Программы',
  runningInvoice: 'Текущий счёт за месяц',
  asOf: 'на',
  consumption: 'Потребление',
  grants: 'Гранты',
  bonus: 'Партнёрская скидка',
  dealUplift: 'в том числе надбавка за сделку',
  rebateWithdrawn: 'Ребейт в счёт бонуса',
  payable: 'К оплате',
  vatIncluded: 'В т. ч. НДС',
  bonusChart: 'Партнёрская скидка за 12 месяцев',
  relative: 'относительная',
  noData: 'Пока ничего нет.',
  steps: 'Шаги',
  nextAction: 'Далее',
  history: 'История',
  step_start: 'Начало',
  step_sign_in: 'Вход',
  step_application: 'Заявка и компания',
  step_partnership_type: 'Тип партнёрства',
  step_billing_account: 'Платёжный аккаунт',
  step_manager_review: 'Проверка менеджером',
  step_decision: 'Решение',
  number: 'Номер',
  month: 'Месяц',
  kind: 'Вид',
  issued: 'Выставлен',
  due: 'Оплатить до',
  lines: 'Строки',
  rule: 'Правило',
  amount: 'Сумма',
  documents: 'Документы',
  doc_act: 'Акт',
  'doc_payment-invoice': 'Счёт на оплату',
  'doc_vat-invoice': 'Счёт-фактура',
  balance: 'Баланс ребейтов',
  ledger: 'Движения',
  withdraw: 'Вывести',
  target: 'Куда',
  target_bonus: 'В бонус (уменьшает счёт месяца)',
  target_bank: 'На расчётный счёт',
  withdrawn: 'Выведено',
  giveNotice: 'Уведомить о выходе',
  noticeHelp: 'Не менее чем за 30 дней; без даты — через 30 дней.',
  withdrawNotice: 'Отозвать уведомление',
  noticeGiven: 'Уведомление подано: партнёрство заканчивается',
  dealsAndProjects: 'Сделки и проекты',
  presaleRequests: 'Запросы на пресейл',
  specializationsNav: 'Специализации',
  noRegistrations: 'Зарегистрированных сделок и проектов пока нет.',
  customerOrScope: 'Клиент или облако',
  reviewDueBy: 'Рассмотрят до',
  dealTermStart: 'Действует с',
  dealTermEnd: 'Действует до',
  innShort: 'ИНН',
  dealCustomer: 'Клиент',
  existingCustomer: 'Мой клиент (субаккаунт)',
  prospectiveCustomer: 'Потенциальный клиент по ИНН',
  noCustomersYet:
    'У вас пока нет субаккаунтов клиентов — зарегистрируйте потенциального клиента по ИНН.',
  customerInnHint: '10 цифр для организации, 12 — для ИП',
  expectedMonthlyConsumption: 'Ожидаемое потребление в месяц, ₽',
  rublesPerMonthHint: 'В рублях, например 150000,00',
  dealDescriptionHint: 'Что клиент планирует запустить в облаке',
  sentForReview: 'Отправлено на рассмотрение.',
  scope_cloud: 'Облако целиком',
  scope_folder: 'Каталог в облаке',
  cloudIdLabel: 'Идентификатор облака',
  folderIdLabel: 'Идентификатор каталога',
  projectCloudHint: 'Облако, в котором потребляют ваши клиенты',
  expectedGrowthHint: 'Как и когда вырастет потребление',
  baselineNote:
    'База — среднее месячное потребление за три полных месяца до регистрации; менеджер может её скорректировать.',
  decidedAt: 'Решение принято',
  projectRegisteredOn: 'Дата регистрации',
  renewalOf: 'Продлевает',
  previousRegistration: 'предыдущую регистрацию',
  renewDeal: 'Продлить сделку',
  renewHelpApproved: 'Продление добавит ещё один срок с даты окончания сделки.',
  renewHelpExpired:
    'Срок сделки истёк: при продлении клиент регистрируется заново, и менеджеры рассматривают сделку как новую.',
  statusChange: 'Изменение',
  noPresaleRequests: 'Запросов на пресейл пока нет.',
  answeredAt: 'ответили',
  askPresale: 'Запросить пресейл-эксперта',
  presaleAbout: 'Запрос по',
  aboutCustomer: 'клиенту',
  aboutProject: 'зарегистрированному проекту',
  presaleProject: 'Проект',
  noProjectsYet: 'У вас пока нет зарегистрированных проектов.',
  topicHint: 'например, перенос 1С в облако',
  sendRequest: 'Отправить запрос',
  requestSent: 'Запрос отправлен.',
  presaleDeclineReason: 'Причина отказа',
  commentsClosed: 'Запрос закрыт, новые комментарии не принимаются.',
  noComments: 'Комментариев пока нет.',
  yourComment: 'Ваш комментарий',
  specializationCatalogue: 'Каталог специализаций',
  specializationName: 'Специализация',
  requirementsColumn: 'Требования',
  minCertifiedEngineers: 'Нужно сертифицированных инженеров',
  noneHeld: 'У вас пока нет специализаций.',
  heldFrom: 'С',
  heldTo: 'По',
  heldOpenEnded: 'бессрочно',
  specializationApplications: 'Мои заявки на специализации',
  noApplications: 'Заявок пока нет.',
  refusalReason: 'Причина отказа',
  applyForSpecialization: 'Подать заявку на специализацию',
  evidenceHint: 'Сертификаты, проекты клиентов — то, что проверит менеджер',
  sendApplication: 'Подать заявку',
  applicationSent: 'Заявка отправлена.',
  msk: 'МСК',
  firstAnswer: 'Первый ответ',
  mySpecializations: 'Мои специализации',
  percentagePoints: 'п.\u00a0п.',
  perQuarter: 'в квартал',
  engineersShort: 'Инженеров',
  reviewQueue: 'Очередь на рассмотрение',
  partners: 'Партнёры',
  company: 'Компания',
  deadline: 'Срок',
  businessDaysLeft: 'Рабочих дней осталось',
  overdue: 'Просрочено',
  escalated: 'Эскалировано',
  open: 'Открыть',
  companyCard: 'Карточка компании',
  verification: 'Проверка платёжного аккаунта',
  approve: 'Одобрить',
  reject: 'Отклонить',
  reason: 'Причина',
  revoke: 'Отозвать статус',
  workflow: 'Процесс в Temporal',
  registerDeal: 'Зарегистрировать сделку',
  registerProject: 'Зарегистрировать проект',
  customerAccount: 'Субаккаунт клиента',
  upliftRate: 'Надбавка',
  startDate: 'Дата начала',
  scope: 'Охват',
  cloudId: 'Облако',
  folderId: 'Каталог',
  baseline: 'База в месяц',
  rate: 'Ставка',
  save: 'Сохранить',
  done: 'Готово.',
  // manager console: applications, partners, a partner’s page
  mc_applications: 'Заявки',
  mc_allStatuses: 'Все',
  mc_noApplications: 'Заявок в этом статусе нет.',
  mc_started: 'Начата',
  mc_submitted: 'Отправлена на рассмотрение',
  mc_innKpp: 'ИНН / КПП',
  mc_ogrn: 'ОГРН',
  mc_companyKind: 'Организационная форма',
  mc_kind_legal_entity: 'Юридическое лицо',
  mc_kind_individual_entrepreneur: 'Индивидуальный предприниматель',
  mc_registeredOn: 'Дата регистрации',
  mc_registryStatus: 'Статус в реестре',
  mc_company_active: 'Действующая',
  mc_company_liquidating: 'В процессе ликвидации',
  mc_company_liquidated: 'Ликвидирована',
  mc_noCompanyYet: 'Заявитель ещё не указал компанию.',
  mc_partnership: 'Партнёрство',
  mc_action: 'Действие',
  mc_questionnaire: 'Анкета',
  mc_companySize: 'Размер компании, сотрудников',
  mc_specializations: 'Специализации',
  mc_notAnsweredYet: 'Анкета ещё не заполнена.',
  mc_bankCheck: 'Платёжный аккаунт и проверка',
  mc_billingAccount: 'Платёжный аккаунт',
  mc_source_existing: 'Существующий аккаунт организации',
  mc_source_created: 'Создан при подаче заявки',
  mc_verif_not_requested: 'Не запрашивалась',
  mc_verif_pending: 'Проверяется биллингом',
  mc_verif_approved: 'Подтверждён',
  mc_verif_rejected: 'Отклонён биллингом',
  mc_upgradedToPaid: 'Переведён на платную основу',
  mc_yes: 'да',
  mc_no: 'нет',
  mc_noAccountYet: 'Платёжный аккаунт ещё не выбран.',
  mc_bankDetails: 'Банковские реквизиты',
  mc_noBankDetails: 'Не указаны.',
  mc_review: 'Рассмотрение',
  mc_step: 'Шаг',
  mc_toPartner: 'Страница партнёра',
  mc_search: 'Поиск',
  mc_searchHint: 'Название, ИНН или организация',
  mc_noPartners: 'Партнёры не найдены.',
  mc_name: 'Название',
  mc_organization: 'Организация',
  mc_previous: 'Назад',
  mc_next: 'Далее',
  mc_of: 'из',
  mc_tab_overview: 'Обзор',
  mc_tab_deals: 'Сделки и проекты',
  mc_tab_invoices: 'Счета',
  mc_tab_rebates: 'Ребейты',
  mc_tab_customers: 'Клиенты',
  mc_tab_specializations: 'Специализации',
  mc_workflowExit: 'уведомление о выходе',
  mc_workflowRevocation: 'отзыв статуса',
  mc_revokeHelp:
    'Отзыв статуса сразу прекращает партнёрство: затем выставляется итоговый счёт и проводятся выплаты.',
  mc_revokeConfirm: 'Отозвать статус партнёра? Это действие нельзя отменить.',
  mc_deals: 'Сделки',
  mc_projects: 'Проекты',
  mc_registrations: 'Регистрации партнёра',
  mc_noDeals: 'Сделок пока нет.',
  mc_noProjects: 'Проектов пока нет.',
  mc_noRegistrations: 'Партнёр пока ничего не регистрировал.',
  mc_registeredBy: 'Зарегистрировал',
  mc_rebateMonths: 'Месяцы ребейта',
  mc_noInvoices: 'Счетов пока нет.',
  invoiceTitle: 'Счёт',
  mc_invoice_monthly: 'Ежемесячный',
  mc_invoice_interim: 'Промежуточный',
  mc_invoice_final: 'Итоговый',
  mc_noLedger: 'Начислений и списаний пока нет.',
  mc_balanceAfter: 'Остаток после',
  mc_ledger_project_rebate: 'Ребейт за проект',
  mc_ledger_specialization_rebate: 'Ребейт за специализацию',
  mc_ledger_withdrawal_to_bonus: 'Списано в счёт',
  mc_ledger_withdrawal_to_bank: 'Выведено на расчётный счёт',
  mc_ledger_final_payout: 'Итоговая выплата',
  mc_noCustomers: 'У партнёра пока нет клиентских субаккаунтов.',
  mc_subaccount: 'Субаккаунт',
  mc_opened: 'Открыт',
  mc_chooseCustomer: 'Выберите клиента…',
  mc_noCustomersForDeal:
    'У партнёра нет клиентских субаккаунтов: он открывает их в своём кабинете, после этого к сделке можно привязать клиента.',
  mc_dealEnd: 'Привязан до',
  mc_dealEndHint: 'Оставьте пустым, если срок не ограничен.',
  presaleDesk: 'Запросы на пресейл',
  allKinds: 'Все',
  kind_application: 'Заявка',
  kind_deal: 'Сделка',
  kind_project: 'Проект',
  kind_specialization: 'Специализация',
  kind_presale: 'Пресейл',
  subject: 'Предмет',
  status: 'Статус',
  reviewBy: 'Рассмотреть до',
  backToQueue: 'Назад к очереди',
  decisions: 'Решения',
  who: 'Кто',
  when: 'Когда',
  fromTo: 'Было → стало',
  why: 'Почему',
  st_draft: 'Черновик',
  st_awaiting_billing_verification: 'Ждёт проверки биллинга',
  st_in_review: 'На рассмотрении',
  st_pending: 'Ждёт рассмотрения',
  st_approved: 'Одобрена',
  st_rejected: 'Отклонена',
  st_cancelled: 'Отозвана',
  st_expired: 'Истекла',
  st_open: 'Открыта',
  st_granted: 'Присвоена',
  st_refused: 'Отказано',
  st_withdrawn: 'Снята',
  st_new: 'Новый',
  st_assigned: 'Назначен',
  st_in_progress: 'В работе',
  st_done: 'Выполнен',
  st_declined: 'Отклонён',
  dealRegistration: 'Регистрация сделки',
  projectRegistration: 'Регистрация проекта',
  customer: 'Клиент',
  customerInn: 'ИНН клиента',
  expectedConsumption: 'Ожидаемое потребление в месяц',
  description: 'Описание',
  expectedGrowth: 'Ожидаемый рост',
  baselineDefault: 'База: среднее за три полных месяца до регистрации',
  submitted: 'Подана',
  submittedBy: 'Кто подал',
  decision: 'Решение',
  upliftHint: 'Доля, например 0.05 — это 5 процентных пунктов; не больше 0.15.',
  rateHint: 'Доля, например 0.10 — это 10 %; не больше 0.15.',
  adjustedBaseline: 'Скорректированная база в месяц (необязательно)',
  reasonRequired: 'Для отказа нужна причина.',
  linkedPeriod: 'Привязка',
  approvedRate: 'Утверждённая ставка',
  specializationApplication: 'Заявка на специализацию',
  evidence: 'Подтверждения',
  certifiedEngineers: 'Сертифицированных инженеров',
  catalogueRequirements: 'Требования каталога',
  minEngineers: 'Нужно сертифицированных инженеров',
  services: 'Сервисы',
  quarterlyRate: 'Квартальный ребейт',
  enoughEngineers: 'достаточно',
  tooFewEngineers: 'недостаточно',
  grant: 'Присвоить',
  refuse: 'Отказать',
  firstDay: 'Первый день',
  lastDay: 'Последний день',
  firstDayHint: 'Если не указан — сегодня.',
  heldSpecializations: 'Специализации',
  withdrawSpecialization: 'Снять',
  heldUntilWithdrawn: 'до снятия',
  presaleRequest: 'Запрос на пресейл',
  topic: 'Тема',
  desiredDate: 'Желаемая дата',
  assignee: 'Исполнитель',
  firstAnswerBy: 'Первый ответ до',
  customerOrProject: 'Клиент или проект',
  statusHistory: 'История статусов',
  comments: 'Комментарии',
  addComment: 'Добавить комментарий',
  send: 'Отправить',
  assignToMe: 'Взять себе',
  startWork: 'Начать работу',
  markDone: 'Завершить',
  decline: 'Отклонить',
  nextMoves: 'Следующие шаги',
  noMoves: 'Запрос закрыт: действий больше нет.',
  author_staff: 'сотрудник',
  author_partner: 'партнёр',
  presaleConsole: 'Пресейл',
  reasonToDecline: 'Причина отказа',
  closes: 'Закрытие месяцев',
  closeMonth: 'Закрыть месяц',
  fin_month: 'Месяц',
  fin_totals: 'Итоги месяца',
  fin_invoiceCount: 'Выставлено счетов',
  fin_kinds: 'ежемесячные / промежуточные / итоговые',
  fin_commission: 'Отчёты о реферальной комиссии',
  fin_payouts: 'Выплаты за месяц',
  fin_vat: 'НДС',
  fin_inn: 'ИНН',
  fin_downloads: 'Выгрузки',
  fin_csvInvoices: 'Счета (CSV)',
  fin_csvLines: 'Строки счетов (CSV)',
  fin_xlsx: 'Счета и строки (XLSX)',
  fin_zip: 'Все документы (ZIP)',
  fin_csvNote:
    'CSV открываются в Excel с русскими настройками: разделитель «;», десятичная запятая.',
  fin_reconciliation: 'Сверка',
  fin_recConsumption: 'Потребление за месяц',
  fin_recBilled: 'Выставлено по нему',
  fin_recPending: 'Ждёт следующего закрытия',
  fin_recDifference: 'Расхождение',
  fin_recMissing: 'Невыставленные строки',
  fin_recOk: 'Всё выставлено до копейки.',
  fin_recFlagged: 'Месяц не сходится: проверьте расхождение.',
  fin_notClosed: 'Месяц не закрыт.',
  fin_backToMonth: 'К месяцу',
  fin_payoutRegister: 'Реестр выплат',
  fin_allStatuses: 'Все статусы',
  fin_exportCsv: 'Выгрузить (CSV)',
  fin_reference: 'Основание',
  fin_bank: 'Реквизиты',
  fin_date: 'Дата',
  fin_status: 'Статус',
  payoutKind_rebate_withdrawal: 'Вывод ребейта на расчётный счёт',
  payoutKind_commission: 'Реферальная комиссия',
  payoutKind_final_payout: 'Выплата при выходе из программы',
  payoutStatus_awaiting_bank_details: 'Ждёт реквизитов',
  payoutStatus_payable: 'К выплате',
  payoutStatus_paid: 'Выплачено',
  invoiceKind_monthly: 'Ежемесячный',
  invoiceKind_interim: 'Промежуточный',
  invoiceKind_final: 'Итоговый',
  closeStatus_running: 'Идёт',
  closeStatus_completed: 'Завершено',
  progress: 'Ход',
  started: 'Начато',
  completed: 'Завершено',
  partnerName: 'Партнёр',
  show: 'Показать',
  forbidden: 'Эта страница недоступна для вашей роли.',
  notFound: 'Не найдено.',
  loading: 'Загрузка…',
  contactName: 'Контактное лицо',
  phone: 'Телефон',
  existingAccount: 'Существующий платёжный аккаунт',
  inn: 'ИНН компании',
  continue: 'Продолжить',
  address: 'Адрес',
  confirmCompany: 'Это моя компания',
  notMyCompany: 'Это не моя компания',
  video: 'Информационное видео',
  videoHelp: 'Досмотрите видео о партнёрской программе до конца, чтобы продолжить.',
  play: 'Смотреть',
  taxationType: 'Налогообложение',
  tax_general_with_vat: 'ОСН с НДС',
  tax_simplified: 'УСН',
  tax_patent: 'Патент',
  tax_unified_agricultural: 'ЕСХН',
  companySize: 'Размер компании',
  specializations: 'Специализации (через запятую)',
  customerCount: 'Число клиентов',
  motivation: 'Почему вы хотите стать партнёром',
  bik: 'БИК',
  settlementAccount: 'Расчётный счёт',
  verificationRejected: 'Биллинг отклонил аккаунт',
  accountName: 'Название аккаунта',
  business: 'Юридическое лицо',
  individualEntrepreneur: 'Индивидуальный предприниматель',
  cancelApplication: 'Отозвать заявку',
  identityMethod: 'Способ входа',
  identity_existing_account: 'Существующий облачный аккаунт',
  identity_new_id: 'Новый ID',
  identity_sso_federation: 'SSO-федерация',
  // partner: referrals, customers, notifications, confirmations, bank details
  back: 'Назад',
  moscowTime: '(мск)',
  customersNav: 'Клиенты',
  referralsNav: 'Рефералы',
  notificationsNav: 'Уведомления',
  bonusAxis: 'Бонус, ₽',
  bonusRelativeNote: 'Под месяцем — бонус в процентах от базы начисления',
  noBonusYet: 'Закрывающих счетов пока нет: здесь появится бонус за каждый закрытый месяц.',
  noInvoices: 'Счетов пока нет: первый выставляется при закрытии месяца.',
  noLedger: 'Начислений и списаний ретробонуса пока нет.',
  balanceAfter: 'Остаток после',
  applicationRejected: 'Заявка отклонена',
  noReasonGiven: 'Менеджер не указал причину.',
  cancelApplicationConfirm: 'Отозвать заявку?',
  cancelApplicationHelp: 'Отозванную заявку нельзя продолжить — придётся подать новую.',
  withdrawConfirmTitle: 'Списать с баланса ретробонуса?',
  withdrawConfirm: 'Подтвердить списание',
  withdrawConfirm_bonus: 'Сумма уменьшит счёт текущего месяца; отменить списание нельзя.',
  withdrawConfirm_bank:
    'Сумма будет перечислена по указанным банковским реквизитам; отменить списание нельзя.',
  giveNoticeConfirmTitle: 'Уведомить о выходе из программы?',
  giveNoticeConfirm: 'Да, уведомить о выходе',
  giveNoticeConsequence:
    'В дату выхода партнёрство прекращается: выставляются итоговый счёт и итоговый отчёт о вознаграждении, остаток ретробонуса выплачивается. До этой даты уведомление можно отозвать.',
  withdrawNoticeHelp: 'Если отозвать уведомление, партнёрство продолжится как прежде.',
  withdrawNoticeConfirmTitle: 'Отозвать уведомление о выходе?',
  withdrawNoticeConfirm: 'Да, остаться в программе',
  bankDetails: 'Банковские реквизиты для выплат',
  bankDetailsHelp:
    'На этот счёт перечисляются выплаты ретробонуса и итоговая выплата при выходе из программы.',
  bikHint: '9 цифр',
  accountHint: '20 цифр, в банке с этим БИК',
  saveBankDetails: 'Сохранить реквизиты',
  bankDetailsSaved: 'Реквизиты сохранены.',
  bankDetailsUnchanged: 'Эти реквизиты уже были указаны.',
  finalPayoutPaid: 'Удержанная итоговая выплата перечислена:',
  finalPayoutHeld: 'Итоговая выплата всё ещё удержана:',
  referralLink: 'Ваша реферальная ссылка',
  copyLink: 'Копировать',
  linkCopied: 'Ссылка скопирована.',
  linkCopyFailed: 'Браузер не разрешил копирование: выделите ссылку и скопируйте её.',
  referralCode: 'Код',
  createdOn: 'создана',
  referralHelp:
    'Клиент, зарегистрировавшийся по этой ссылке, закрепляется за вами; вы получаете вознаграждение с его оплаченного потребления.',
  notReferralPartner: 'Ваша организация не участвует в реферальной программе.',
  referredCustomers: 'Клиенты, пришедшие по вашей ссылке',
  noReferrals: 'По вашей ссылке пока никто не зарегистрировался.',
  signedUpAt: 'Регистрация (мск)',
  commissionFrom: 'Вознаграждение с',
  commissionUntil: 'Вознаграждение по',
  openEnded: 'без срока',
  commissionStatements: 'Отчёты о вознаграждении',
  commissionStatement: 'Отчёт о вознаграждении',
  noStatements:
    'Отчётов о вознаграждении пока нет: отчёт выставляется за каждый закрытый месяц с вознаграждением.',
  statement_monthly: 'Ежемесячный',
  statement_final: 'Итоговый (при выходе)',
  commissionBase: 'База',
  commission: 'Вознаграждение',
  consumptionMonth: 'Месяц потребления',
  total: 'Итого',
  paidTo: 'Перечислено на',
  customerName: 'Наименование клиента',
  subaccount: 'Субаккаунт',
  openedAt: 'Открыт (мск)',
  noCustomers: 'Клиентов пока нет: откройте субаккаунт для первого клиента ниже.',
  openCustomer: 'Открыть субаккаунт клиента',
  openCustomerHelp:
    'Юридическое лицо — резидент, оплачивающее по счёту; субаккаунт открывается под вашим платёжным аккаунтом.',
  customerOpened: 'Открыт:',
  optional: 'необязательно',
  noNotifications: 'Уведомлений пока нет.',
  sentTo: 'Кому:',
  delivered: 'доставлено',
  notDeliveredYet: 'ещё не доставлено',
  email: 'Эл. почта',
  moscowTimeShort: 'МСК',
};

export type Language = 'ru' | 'en';
export const LANGUAGES: readonly Language[] = ['ru', 'en'];

/** Where the language the user picked in the header is kept between visits. */
const LANGUAGE_KEY = 'partner-platform.language';

export const RESOURCES = {
  en: { translation: { ...en, ...codesEn } },
  ru: { translation: { ...ru, ...codesRu } },
};

// The user's earlier choice, else the browser's language when it is Russian or English,
// else Russian. Only a choice made in the header is saved (see changeLanguage below).
void i18next
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: RESOURCES,
    supportedLngs: LANGUAGES,
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    fallbackLng: 'ru',
    // Keys are flat ("enum.application.draft"): dots and colons are part of the key.
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_KEY,
      caches: [],
    },
    initAsync: false,
    react: { useSuspense: false },
  });

// Written without the DOM's types, so tests under Node can import the translations.
const browser = globalThis as {
  document?: { documentElement: { lang: string } };
  localStorage?: { setItem(key: string, value: string): void };
};
const syncDocumentLanguage = (language: string) => {
  if (browser.document) browser.document.documentElement.lang = language;
};
syncDocumentLanguage(currentLanguage());
i18next.on('languageChanged', syncDocumentLanguage);

function currentLanguage(): Language {
  return i18next.resolvedLanguage === 'en' ? 'en' : 'ru';
}

/** Switches the portal's language and remembers the choice for the next visit. */
export function changeLanguage(language: Language): void {
  browser.localStorage?.setItem(LANGUAGE_KEY, language);
  void i18next.changeLanguage(language);
}

/** The current language; the component renders again when it changes. */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage === 'en' ? 'en' : 'ru';
}

export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** The text for a key in the current language, with `{{name}}` parameters and plurals (`count`). */
export function useT(): Translate {
  const { t } = useTranslation();
  return t;
}

/** Money as the API gives it (decimal strings), grouped for reading: "1 490,00 ₽", "1,490.00 ₽". */
export function formatMoney(amount: string | null | undefined, language: Language): string {
  if (amount === null || amount === undefined) return '—';
  // Exact: the whole part goes to Intl as a BigInt, the kopecks are kept as written.
  const [whole = '0', fraction = '00'] = amount.replace('-', '').split('.');
  const number = new Intl.NumberFormat(language);
  const decimal = number.formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  const zero = /^-?0*(\.0*)?$/.test(amount);
  const sign = amount.startsWith('-') && !zero ? '−' : '';
  return `${sign}${number.format(BigInt(whole || '0'))}${decimal}${fraction.padEnd(2, '0')} ₽`;
}

export function useMoney(): (amount: string | null | undefined) => string {
  const language = useLanguage();
  return (amount) => formatMoney(amount, language);
}

/** A number in the current language ("1 234,5" / "1,234.5"). */
export function formatNumber(value: number | string, language: Language): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 4 }).format(Number(value));
}

/** A rate given as a fraction ("0.1") as a percentage: "10 %" / "10%". */
export function formatPercent(value: number | string, language: Language): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 2 }).format(
    Number(value),
  );
}

/** Dates ("2026-11-30") in the current language, as a calendar date: "30.11.2026", "11/30/2026". */
export function formatDate(
  iso: string | null | undefined,
  language: Language = currentLanguage(),
): string {
  if (!iso) return '—';
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'short', timeZone: 'UTC' }).format(date);
}

/**
 * A moment as Moscow time (deadlines and business days run on Moscow days), labelled:
 * "30.11.2026, 14:05 МСК" / "11/30/2026, 2:05 PM Moscow time"; unlabelled where a column's
 * heading already says so.
 */
export function formatDateTime(
  iso: string | null | undefined,
  language: Language = currentLanguage(),
  labelled = true,
): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(language, {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Moscow',
  }).format(date);
  return labelled ? `${text} ${i18next.getFixedT(language)('moscowTimeShort')}` : text;
}

// ---- The API's codes in the user's language ----------------------------------------------

export type CodeParams = Record<string, string | number>;

/** The translation function of one language (from i18next.getFixedT or useTranslation). */
export type CodeTranslate = (key: string, options?: Record<string, unknown>) => string;

/**
 * Parameters whose values are codes themselves, and the families that may translate them (the
 * first that knows the value wins; a value none knows — a month, a date — stays as it is).
 */
const VALUE_FAMILIES: Record<string, readonly string[]> = {
  adjusts: ['lineKind'],
  target: ['target'],
  kind: ['lineKind'],
  format: ['format'],
  expected: ['expected'],
  status: ['application', 'registration', 'partner', 'presale', 'specialization', 'exitNotice'],
  from: ['presale'],
  to: ['presale'],
  step: ['step'],
  current: ['step'],
  role: ['role'],
};

const isMoneyParam = (name: string) =>
  /^(base|amount|baseline|balance|total)$/.test(name) || /(Amount|Base|Total|Balance)$/.test(name);
const isRateParam = (name: string) => /^rate$/.test(name) || /Rate$/.test(name);

/**
 * Parameters as a reader sees them: rates as percentages, money grouped with ₽, code values
 * translated; a count (`customers`, `days`) also becomes i18next's `count` for plurals.
 */
export function readableParams(
  params: CodeParams | undefined,
  language: Language,
  t: CodeTranslate,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    const families = VALUE_FAMILIES[name] ?? [];
    const family = families.find((f) => i18next.exists(`enum.${f}.${String(value)}`));
    if (name === 'percent' && value !== '' && !Number.isNaN(Number(value))) {
      out[name] = formatNumber(value, language);
    } else if (isRateParam(name) && value !== '' && !Number.isNaN(Number(value))) {
      out[name] = formatPercent(value, language);
    } else if (isMoneyParam(name) && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) {
      out[name] = formatMoney(value, language);
    } else if (typeof value === 'number') {
      out[name] = formatNumber(value, language);
    } else if (name === 'field' && typeof value === 'string') {
      out[name] = fieldLabel(t, value);
    } else if (family && typeof value === 'string') {
      out[name] = t(`enum.${family}.${value}`, { defaultValue: value });
    } else {
      out[name] = value;
    }
  }
  for (const counted of ['customers', 'days', 'count']) {
    const value = params?.[counted];
    if (value !== undefined && !Number.isNaN(Number(value))) {
      out.count = Number(value);
      break;
    }
  }
  return out;
}

/** Whether the language has a text for the key (in any plural form). */
function has(key: string, language: Language): boolean {
  return i18next.exists(key, { lng: language, fallbackLng: false, count: 1 });
}

/** A status or kind in words; the code itself if the portal does not know it. */
export function codeWord(t: CodeTranslate, family: string, value: string | null | undefined) {
  if (value === null || value === undefined || value === '') return '—';
  return t(`enum.${family}.${value}`, { defaultValue: value });
}

/**
 * An application history entry's action ("company confirmed", "cancelled: <reason>"): the
 * event translated, what follows its ": " (a reason, the programs) kept as written.
 */
export function auditActionText(t: CodeTranslate, action: string): string {
  const cut = action.indexOf(': ');
  const event = cut < 0 ? action : action.slice(0, cut);
  const words = t(`audit.${event}`, { defaultValue: event });
  return cut < 0 ? words : `${words}: ${action.slice(cut + 2)}`;
}

/** The application's next action in words; the API's own text when its code is unknown. */
export function nextActionText(
  t: CodeTranslate,
  language: Language,
  application: { nextAction: string; nextActionCode?: string; nextActionParams?: CodeParams },
): string {
  const code = application.nextActionCode;
  if (!code || !has(`next.${code}`, language)) return application.nextAction;
  return t(`next.${code}`, readableParams(application.nextActionParams, language, t));
}

export interface CodedLine {
  kind: string;
  description: string;
  rule?: string;
  params?: CodeParams;
}

/** An invoice line's description and rule, written from its kind and parameters. */
export function lineText(
  t: CodeTranslate,
  language: Language,
  line: CodedLine,
): { description: string; rule: string } {
  const known = line.params !== undefined && has(`line.${line.kind}.description`, language);
  if (!known) return { description: line.description, rule: line.rule ?? '' };
  const params = readableParams(line.params, language, t);
  return {
    description: t(`line.${line.kind}.description`, params),
    rule: has(`line.${line.kind}.rule`, language)
      ? t(`line.${line.kind}.rule`, params)
      : (line.rule ?? ''),
  };
}

/**
 * Form fields by the path the API names them with (without its `body.`/`query.`/`params.`),
 * and the label key the form shows them under.
 */
export const FIELD_LABELS: Record<string, string> = {
  'contact.name': 'contactName',
  'contact.email': 'email',
  'contact.phone': 'phone',
  'company.inn': 'inn',
  'company.billingAccountId': 'existingAccount',
  billingAccountId: 'existingAccount',
  'questionnaire.companySize': 'companySize',
  'questionnaire.customerCount': 'customerCount',
  'questionnaire.motivation': 'motivation',
  'questionnaire.specializations': 'specializations',
  taxationType: 'taxationType',
  identityMethod: 'identityMethod',
  programs: 'programs',
  name: 'accountName',
  type: 'kind',
  bik: 'bik',
  account: 'settlementAccount',
  'bankDetails.bik': 'bik',
  'bankDetails.account': 'settlementAccount',
  amount: 'amount',
  target: 'target',
  exitDate: 'exitDate',
  reason: 'reason',
  customerAccountId: 'customerAccount',
  'customer.accountId': 'customerAccount',
  'customer.inn': 'customerInn',
  'customer.name': 'customerName',
  'customer.organizationId': 'mc_organization',
  'customer.type': 'kind',
  customerInn: 'customerInn',
  expectedMonthlyConsumption: 'expectedMonthlyConsumption',
  description: 'description',
  expectedGrowth: 'expectedGrowth',
  cloudId: 'cloudIdLabel',
  folderId: 'folderIdLabel',
  scope: 'scope',
  upliftRate: 'upliftRate',
  rate: 'rate',
  baselineMonthly: 'adjustedBaseline',
  startDate: 'startDate',
  endDate: 'mc_dealEnd',
  validFrom: 'firstDay',
  validTo: 'lastDay',
  evidence: 'evidence',
  certifiedEngineers: 'certifiedEngineers',
  serviceIds: 'services',
  topic: 'topic',
  desiredDate: 'desiredDate',
  text: 'yourComment',
  month: 'month',
  status: 'status',
  code: 'referralCode',
  referralCode: 'referralCode',
};

/** The API's field path as the form knows it: "body.contact.email" → "contact.email". */
export function fieldPath(field: string): string {
  return field.replace(/^(body|query|params)\./, '');
}

/** A field's label in the current language; the path's last part if the portal has none. */
export function fieldLabel(t: CodeTranslate, field: string): string {
  const path = fieldPath(field);
  const key = FIELD_LABELS[path] ?? FIELD_LABELS[path.replace(/\.\d+(\.|$)/g, '$1')];
  return key ? t(key) : (path.split('.').pop() ?? path);
}

/** What is wrong with one field, without its label ("неверный формат (e-mail)"). */
export function fieldProblemText(
  t: CodeTranslate,
  language: Language,
  problem: { message: string; code?: string; params?: CodeParams },
): string {
  if (!problem.code || !has(`field.${problem.code}`, language)) {
    // A reason this portal does not know yet: its English text, or a generic word in Russian.
    return problem.code && language === 'ru' ? t('field.custom') : problem.message;
  }
  return t(`field.${problem.code}`, readableParams(problem.params, language, t));
}

/** One field's problem with its label: "Эл. почта: неверный формат (e-mail)". */
export function labelledFieldProblem(
  t: CodeTranslate,
  language: Language,
  problem: { field: string; message: string; code?: string; params?: CodeParams },
): string {
  return t('fieldProblem', {
    label: fieldLabel(t, problem.field),
    problem: fieldProblemText(t, language, problem),
  });
}

/** A refusal in words: its code translated, else the generic message of its HTTP status. */
export function problemText(
  t: CodeTranslate,
  language: Language,
  error: { status: number; code?: string; params?: CodeParams },
): string {
  if (error.code && has(`problem.${error.code}`, language)) {
    return t(`problem.${error.code}`, readableParams(error.params, language, t));
  }
  const status = has(`http.${error.status}`, language) ? String(error.status) : 'other';
  return t(`http.${status}`);
}

/** The helpers above bound to the current language, for components. */
export function useCodes() {
  const { t: translate, i18n } = useTranslation();
  const t = translate as unknown as CodeTranslate;
  const language: Language = i18n.resolvedLanguage === 'en' ? 'en' : 'ru';
  return {
    language,
    word: (family: string, value: string | null | undefined) => codeWord(t, family, value),
    auditAction: (action: string) => auditActionText(t, action),
    nextAction: (application: Parameters<typeof nextActionText>[2]) =>
      nextActionText(t, language, application),
    line: (line: CodedLine) => lineText(t, language, line),
    problem: (error: Parameters<typeof problemText>[2]) => problemText(t, language, error),
    fieldProblem: (problem: Parameters<typeof fieldProblemText>[2]) =>
      fieldProblemText(t, language, problem),
    labelledFieldProblem: (problem: Parameters<typeof labelledFieldProblem>[2]) =>
      labelledFieldProblem(t, language, problem),
    fieldLabel: (field: string) => fieldLabel(t, field),
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, language),
    date: (iso: string | null | undefined) => formatDate(iso, language),
    money: (amount: string | null | undefined) => formatMoney(amount, language),
  };
}
