/**
 * Formal first names and the short forms people go by, per language. Used both ways: a duplicate of
 * "Robert" may say "Bob", and a duplicate of "Γιώργος" may say "Γεώργιος".
 */
const NICKNAME_GROUPS: readonly (readonly [formal: string, ...short: string[]])[] = [
  // English
  ['Robert', 'Bob', 'Rob', 'Bobby'],
  ['William', 'Bill', 'Will', 'Billy'],
  ['Katherine', 'Kate', 'Katie', 'Kathy'],
  ['Catherine', 'Cathy', 'Kate'],
  ['Elizabeth', 'Liz', 'Beth', 'Lizzie'],
  ['James', 'Jim', 'Jimmy', 'Jamie'],
  ['Michael', 'Mike', 'Mick'],
  ['Richard', 'Rick', 'Dick', 'Rich'],
  ['Thomas', 'Tom', 'Tommy'],
  ['Christopher', 'Chris', 'Kit'],
  ['Daniel', 'Dan', 'Danny'],
  ['Matthew', 'Matt'],
  ['Anthony', 'Tony'],
  ['Joseph', 'Joe', 'Joey'],
  ['Charles', 'Charlie', 'Chuck'],
  ['Edward', 'Ed', 'Ted', 'Eddie'],
  ['Margaret', 'Maggie', 'Peggy', 'Meg'],
  ['Jennifer', 'Jen', 'Jenny'],
  ['Patricia', 'Pat', 'Trish', 'Patty'],
  ['Susan', 'Sue', 'Susie'],
  ['Deborah', 'Debbie', 'Deb'],
  ['Rebecca', 'Becky', 'Becca'],
  ['Jessica', 'Jess', 'Jessie'],
  ['Alexander', 'Alex', 'Xander'],
  ['Benjamin', 'Ben', 'Benji'],
  ['Nicholas', 'Nick', 'Nicky'],
  ['Samuel', 'Sam'],
  ['Stephen', 'Steve'],
  ['Steven', 'Steve'],
  ['Timothy', 'Tim'],
  ['Jonathan', 'Jon'],
  ['Gregory', 'Greg'],
  ['Kimberly', 'Kim'],
  ['Samantha', 'Sam', 'Sammy'],
  ['Victoria', 'Vicky', 'Tori'],
  ['Abigail', 'Abby'],
  ['Christine', 'Chris', 'Chrissy'],
  ['Andrew', 'Andy', 'Drew'],
  ['Lawrence', 'Larry'],
  ['Kenneth', 'Ken', 'Kenny'],
  // German, Dutch
  ['Johannes', 'Hans', 'Jan', 'Johann'],
  ['Friedrich', 'Fritz'],
  ['Wolfgang', 'Wolf'],
  ['Katharina', 'Kathi', 'Katja'],
  ['Maximilian', 'Max'],
  ['Matthias', 'Matze'],
  ['Stefanie', 'Steffi'],
  ['Franziska', 'Franzi'],
  ['Hendrik', 'Henk'],
  ['Cornelis', 'Kees'],
  ['Wilhelmina', 'Mien', 'Wilma'],
  ['Jacobus', 'Koos', 'Jaap'],
  // French, Spanish, Italian, Portuguese
  ['Nicolas', 'Nico'],
  ['Dominique', 'Dom'],
  ['José', 'Pepe'],
  ['Francisco', 'Paco', 'Curro'],
  ['Ignacio', 'Nacho'],
  ['Manuel', 'Manolo'],
  ['Dolores', 'Lola'],
  ['Guadalupe', 'Lupe'],
  ['Concepción', 'Concha'],
  ['Giuseppe', 'Beppe', 'Peppe'],
  ['Giovanni', 'Gianni', 'Nino'],
  ['Alessandro', 'Sandro', 'Ale'],
  ['Francesco', 'Franco', 'Cecco'],
  ['Antônio', 'Tonho', 'Toninho'],
  ['Francisca', 'Chica'],
  // Polish
  ['Aleksander', 'Olek', 'Alek'],
  ['Małgorzata', 'Gosia', 'Małgosia'],
  ['Katarzyna', 'Kasia'],
  ['Krzysztof', 'Krzyś'],
  ['Wojciech', 'Wojtek'],
  ['Agnieszka', 'Aga'],
  ['Aleksandra', 'Ola'],
  ['Tomasz', 'Tomek'],
  // Russian, Ukrainian
  ['Александр', 'Саша', 'Саня'],
  ['Дмитрий', 'Дима'],
  ['Михаил', 'Миша'],
  ['Владимир', 'Вова', 'Володя'],
  ['Екатерина', 'Катя'],
  ['Мария', 'Маша'],
  ['Анна', 'Аня'],
  ['Ольга', 'Оля'],
  ['Наталья', 'Наташа'],
  ['Евгений', 'Женя'],
  ['Сергей', 'Серёжа'],
  ['Иван', 'Ваня'],
  ['Николай', 'Коля'],
  ['Алексей', 'Лёша'],
  ['Татьяна', 'Таня'],
  ['Юлия', 'Юля'],
  ['Олександр', 'Сашко'],
  ['Володимир', 'Володя'],
  ['Катерина', 'Катя'],
  ['Наталія', 'Наталка'],
  // Greek (everyday form next to the formal one)
  ['Γεώργιος', 'Γιώργος'],
  ['Ιωάννης', 'Γιάννης'],
  ['Κωνσταντίνος', 'Κώστας'],
  ['Δημήτριος', 'Δημήτρης', 'Μήτσος'],
  ['Νικόλαος', 'Νίκος'],
  ['Βασίλειος', 'Βασίλης'],
  ['Αθανάσιος', 'Θανάσης'],
  ['Ευάγγελος', 'Βαγγέλης'],
  ['Σπυρίδων', 'Σπύρος'],
  ['Αντώνιος', 'Αντώνης'],
  ['Εμμανουήλ', 'Μανώλης'],
  ['Παναγιώτης', 'Πάνος'],
  ['Αικατερίνη', 'Κατερίνα'],
];

const ALTERNATIVES = new Map<string, string[]>();
for (const [formal, ...short] of NICKNAME_GROUPS) {
  add(formal, short);
  for (const s of short) add(s, [formal]);
}

function add(name: string, alts: string[]): void {
  const have = ALTERNATIVES.get(name) ?? [];
  for (const a of alts) if (a !== name && !have.includes(a)) have.push(a);
  ALTERNATIVES.set(name, have);
}

/** Other forms of this first name (nicknames of a formal name, the formal name of a nickname). */
export function nicknamesOf(firstName: string): readonly string[] {
  return ALTERNATIVES.get(firstName) ?? [];
}
