/** The profile the tests and scripts fill in: kept apart from applicant.ts, which needs vitest. */
export const PROFILE = {
  civility: "MADAME",
  familySituation: "Veuf/Veuve",
  firstName: "Igrek",
  lastName: "Ikse",
  birthName: "Ikse",
  birthDate: "18/06/1950",
  street: "1940, avenue du Général de Gaulle",
  postalCode: "93000",
  city: "Bobigny",
  email: "",
  mobilePhone: "06.12.34.56.78",
  protectionMeasure: "non",
};
