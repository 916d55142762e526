// The downloadable template and the examples the help text shows. The role column takes admin or
// member (blank = member).
export const TEMPLATE_CSV = [
  "email,first_name,last_name,role,locale",
  "ada.lovelace@example.com,Ada,Lovelace,member,en",
  "grace.hopper@example.com,Grace,Hopper,admin,en-US",
  "alan.turing@example.com,Alan,Turing,,",
  "",
].join("\r\n");

export const TEMPLATE_FILE_NAME = "guestlist-template.csv";

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
const ACCEPTED = /\.(csv|tsv|txt)$/i;
const SPREADSHEET = /\.(xlsx|xlsm|xls|ods|numbers)$/i;

/** Why a file cannot be read, in words an admin can act on; null when it can be parsed. */
export function fileProblem(file: {
  name: string;
  size: number;
}): string | null {
  if (SPREADSHEET.test(file.name)) {
    return "This is a spreadsheet file. Open it in Excel, Numbers or Google Sheets and save it as CSV (File › Save As › CSV UTF-8), then upload the .csv file.";
  }
  if (!ACCEPTED.test(file.name)) return "Upload a .csv, .tsv or .txt file.";
  if (file.size === 0) return "The file is empty.";
  if (file.size > MAX_FILE_BYTES)
    return `The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB. Split it into smaller files.`;
  return null;
}
