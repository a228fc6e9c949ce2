/**
 * Companies the offline registry knows (development and tests).
 *
 * All of them are fictitious: names and addresses are invented, and the INN / OGRN / OGRNIP check
 * digits were computed for these made-up numbers (they pass domain/validators; a number may still
 * coincide by chance with a real registration). Each OGRN encodes the registration year, region
 * and tax office that match `registeredOn` and the address, as a real one would.
 */
import type { CompanyCard } from '../../domain/company';

/** INNs to look up in tests, by what the company stands for. */
export const FIXTURE_INN = {
  /** Joint-stock company on the general tax regime (a VAT payer), Moscow. */
  active: '7704123450',
  /** Small LLC on the simplified tax regime, Saint Petersburg. */
  smallLlc: '7810567898',
  /** Individual entrepreneur: 12-digit INN, 15-digit OGRNIP, no KPP. */
  individualEntrepreneur: '540612345667',
  /** Active company registered outside the big cities (Moscow Region). */
  regional: '5031122336',
  /** Struck off the register: must be refused. */
  liquidated: '1660043210',
  /** Liquidation under way: must be refused too. */
  liquidating: '6658987651',
  /** A valid legal-entity INN that is not among the fixtures: the registry answers "not found". */
  unknown: '7804332217',
} as const;

export const COMPANY_FIXTURES: readonly CompanyCard[] = [
  {
    inn: FIXTURE_INN.active,
    kind: 'legal_entity',
    name: 'АО «Северная логистика»',
    ogrn: '1157746123457',
    kpp: '770401001',
    address: '119034, г. Москва, Пречистенский пер., д. 14, стр. 1',
    status: 'active',
    registeredOn: '2015-03-12',
  },
  {
    inn: FIXTURE_INN.smallLlc,
    kind: 'legal_entity',
    name: 'ООО «Тихая гавань»',
    ogrn: '1197847345673',
    kpp: '781001001',
    address: '196084, г. Санкт-Петербург, ул. Заставская, д. 7, лит. А, пом. 12-Н',
    status: 'active',
    registeredOn: '2019-07-04',
  },
  {
    inn: FIXTURE_INN.individualEntrepreneur,
    kind: 'individual_entrepreneur',
    name: 'ИП Смирнова Анна Сергеевна',
    ogrn: '318547600123450',
    kpp: null,
    address: '630099, Новосибирская обл., г. Новосибирск',
    status: 'active',
    registeredOn: '2018-05-21',
  },
  {
    inn: FIXTURE_INN.regional,
    kind: 'legal_entity',
    name: 'ООО «Подмосковные технологии»',
    ogrn: '1205031012340',
    kpp: '503101001',
    address: '142400, Московская обл., г. Ногинск, ул. Советская, д. 25, оф. 3',
    status: 'active',
    registeredOn: '2020-11-18',
  },
  {
    inn: FIXTURE_INN.liquidated,
    kind: 'legal_entity',
    name: 'ООО «Закат»',
    ogrn: '1101660054320',
    kpp: '166001001',
    address: '420111, Республика Татарстан, г. Казань, ул. Баумана, д. 40',
    status: 'liquidated',
    registeredOn: '2010-02-15',
  },
  {
    inn: FIXTURE_INN.liquidating,
    kind: 'legal_entity',
    name: 'ООО «Уральский вектор»',
    ogrn: '1166658087650',
    kpp: '665801001',
    address: '620014, Свердловская обл., г. Екатеринбург, ул. Малышева, д. 51, оф. 810',
    status: 'liquidating',
    registeredOn: '2016-09-30',
  },
];
