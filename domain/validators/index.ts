/** Validators for Russian company and bank identifiers (pure functions, no I/O). */
export { validateInn } from './inn';
export type { InnCheck, InnKind } from './inn';
export { validateKpp, validateOgrn } from './kpp';
export type { KppCheck, OgrnCheck, OgrnKind } from './kpp';
export {
  validateBankDetails,
  validateBik,
  validateCorrespondentAccount,
  validateSettlementAccount,
} from './bank';
export type { AccountCheck, BankDetailsProblem, BikCheck, BikKind } from './bank';
