import { type CountryCode, type LegalFormId, list } from './locale-types.js';

/**
 * Company name material, legal forms (with the ways each gets written), job titles and e-mail
 * providers per country. Company names are invented combinations of the stems and industries below.
 */

/** Ways each legal form gets written; {s} is the name, {S} the name in capitals. First = canonical. */
export const LEGAL_FORMS: Record<LegalFormId, readonly string[]> = {
  inc: ['{s} Inc', '{s} Inc.', '{s}, Inc.', '{s} Incorporated', '{S}, INC.', '{s}'],
  llc: ['{s} LLC', '{s}, LLC', '{s} L.L.C.', '{s} llc', '{s}'],
  corp: ['{s} Corp', '{s} Corp.', '{s} Corporation', '{S} CORP'],
  co: ['{s} Co', '{s} Co.', '{s} Company', '{s} & Co.'],
  ltd: ['{s} Ltd', '{s} Ltd.', '{s} Limited', '{S} LTD', '{s}'],
  plc: ['{s} plc', '{s} PLC', '{s} P.L.C.', '{s} Public Limited Company'],
  llp: ['{s} LLP', '{s} L.L.P.', '{s}'],
  gmbh: ['{s} GmbH', '{s} Gmbh', '{s} G.m.b.H.', '{S} GMBH', '{s}'],
  ag: ['{s} AG', '{s} Aktiengesellschaft', '{s}'],
  gmbh_co_kg: ['{s} GmbH & Co. KG', '{s} GmbH & Co KG', '{s} GmbH u. Co. KG', '{s}'],
  kg: ['{s} KG', '{s} Kommanditgesellschaft', '{s}'],
  sas: ['{s} SAS', '{s} S.A.S.', '{s} Sas', '{s}'],
  sarl: ['{s} SARL', '{s} S.A.R.L.', '{s} Sarl', '{s}'],
  sa_fr: ['{s} SA', '{s} S.A.', '{s} Société Anonyme', '{s}'],
  sl: ['{s} S.L.', '{s} SL', '{s}, S.L.', '{s} Sociedad Limitada', '{s}'],
  sa_es: ['{s} S.A.', '{s} SA', '{s}, S.A.', '{s} Sociedad Anónima'],
  srl: ['{s} S.r.l.', '{s} Srl', '{s} SRL', '{s} s.r.l.', '{s}'],
  spa: ['{s} S.p.A.', '{s} SpA', '{s} SPA', '{s}'],
  bv: ['{s} B.V.', '{s} BV', '{s} bv', '{s}'],
  nv: ['{s} N.V.', '{s} NV', '{s}'],
  spzoo: ['{s} Sp. z o.o.', '{s} sp. z o.o.', '{s} Spółka z o.o.', '{s} Sp.z o.o.', '{s}'],
  sa_pl: ['{s} S.A.', '{s} SA', '{s} Spółka Akcyjna'],
  ltda: ['{s} Ltda.', '{s} Ltda', '{s} LTDA', '{s}'],
  sa_br: ['{s} S.A.', '{s} S/A', '{s} SA'],
  ooo: ['ООО «{s}»', 'ООО "{s}"', '{s} ООО', '{s}', 'Общество с ограниченной ответственностью «{s}»'],
  ao: ['АО «{s}»', 'АО "{s}"', '{s}'],
  tov: ['ТОВ «{s}»', 'ТОВ "{s}"', '{s}'],
  prat: ['ПрАТ «{s}»', 'ПрАТ "{s}"', '{s}'],
  ae: ['{s} Α.Ε.', '{s} ΑΕ', '{s} A.E.', '{s}'],
  epe: ['{s} Ε.Π.Ε.', '{s} ΕΠΕ', '{s}'],
  ike: ['{s} Ι.Κ.Ε.', '{s} ΙΚΕ', '{s}'],
};

const EN_STEMS = list(`Acme, Northwind, Summit, Pioneer, Bright, Silver, Granite, Harbor, Iron, Maple, Pine,
  River, Stone, Eagle, Falcon, Atlas, Apex, Vertex, Nova, Orion, Quantum, Vector, Zenith, Blue Peak,
  Red Oak, Cedar, Horizon, Keystone, Lighthouse, Meridian, Northstar, Oakridge, Pinnacle, Redwood,
  Sterling, Trident, Bluewater, Crescent, Evergreen, Frontier, Golden Gate, Highland, Ironbridge,
  Lakeside, Liberty, Mosaic, Nimbus, Obsidian, Paragon, Riverbend, Sapphire, Silverline, Skyline,
  Stonegate, Sunrise, Tidewater, Union, Westfield, Wildflower, Windmill`);
const EN_INDUSTRIES = list(`Logistics, Systems, Software, Analytics, Foods, Health, Partners, Consulting,
  Energy, Capital, Labs, Media, Motors, Realty, Solutions, Technologies, Manufacturing, Design, Insurance,
  Pharma, Supply, Construction, Holdings, Networks, Security`);

interface BusinessData {
  stems: string[];
  industries: string[];
  legalForms: [LegalFormId, number][];
  freeMail: string[];
  tld: string;
  titles: string[];
}

export const BUSINESS: Record<CountryCode, BusinessData> = {
  US: {
    stems: EN_STEMS,
    industries: EN_INDUSTRIES,
    legalForms: [
      ['inc', 50],
      ['llc', 35],
      ['corp', 10],
      ['co', 5],
    ],
    freeMail: ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'aol.com', 'icloud.com'],
    tld: 'com',
    titles: [],
  },
  GB: {
    stems: EN_STEMS,
    industries: EN_INDUSTRIES,
    legalForms: [
      ['ltd', 85],
      ['plc', 5],
      ['llp', 10],
    ],
    freeMail: ['gmail.com', 'hotmail.co.uk', 'outlook.com', 'yahoo.co.uk', 'btinternet.com', 'icloud.com'],
    tld: 'co.uk',
    titles: [],
  },
  DE: {
    stems: list(`Nordwind, Alpen, Rhein, Elbe, Isar, Sonnen, Stern, Adler, Falken, Linden, Eichen,
      Berg, Weiß, Blau, Silber, Gold, Stahl, Holz, Glas, Kraft, Licht, Wasser, Hansa, Brücken, Tannen,
      Schwarzwald, Bodensee, Nordlicht, Kompass, Anker, Zeppelin, Merkur`),
    industries: list(`Logistik, Maschinenbau, Software, Bau, Immobilien, Handel, Consulting,
      Versicherungen, Elektrotechnik, Medizintechnik, Systeme, Technik, Energie, Verlag, Druck`),
    legalForms: [
      ['gmbh', 75],
      ['ag', 10],
      ['gmbh_co_kg', 10],
      ['kg', 5],
    ],
    freeMail: ['gmail.com', 'web.de', 'gmx.de', 't-online.de', 'gmx.net', 'outlook.de'],
    tld: 'de',
    titles: list(`Geschäftsführer, Vertriebsleiter, Einkaufsleiter, Projektleiter, Leiter IT, Prokurist,
      Teamleiter Vertrieb, Personalleiterin, Sachbearbeiterin, Key Account Manager`),
  },
  FR: {
    stems: list(`Lumière, Horizon, Étoile, Azur, Atlantique, Alpes, Provence, Seine, Loire, Bretagne,
      Soleil, Océan, Cristal, Émeraude, Phare, Sommet, Rivage, Vallée, Clairière, Aurore, Boréal`),
    industries: list(`Conseil, Logistique, Immobilier, Transports, Informatique, Bâtiment, Distribution,
      Industries, Services, Énergie, Assurances, Santé`),
    legalForms: [
      ['sas', 50],
      ['sarl', 30],
      ['sa_fr', 20],
    ],
    freeMail: ['gmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'hotmail.fr', 'wanadoo.fr', 'sfr.fr'],
    tld: 'fr',
    titles: list(`Directeur général, Directrice commerciale, Responsable achats, Chef de projet,
      Ingénieur commercial, Comptable, Responsable marketing, Gérant`),
  },
  ES: {
    stems: list(`Ibérica, Mediterráneo, Sol, Atlántico, Levante, Cantábrico, Sierra, Olivo, Azahar,
      Faro, Alba, Aurora, Brisa, Cumbre, Estrella, Horizonte, Marina, Norte, Puerta, Roble`),
    industries: list(`Construcciones, Logística, Consultores, Inmobiliaria, Distribuciones, Tecnología,
      Servicios, Transportes, Alimentación, Energía, Seguros`),
    legalForms: [
      ['sl', 70],
      ['sa_es', 30],
    ],
    freeMail: ['gmail.com', 'hotmail.es', 'yahoo.es', 'outlook.es', 'telefonica.net'],
    tld: 'es',
    titles: list(
      'Director General, Jefe de Ventas, Responsable de Compras, Gerente, Contable, Jefa de Proyecto',
    ),
  },
  IT: {
    stems: list(`Aurora, Stella, Sole, Mare, Monte, Alpi, Tevere, Arno, Vesuvio, Laguna, Orizzonte,
      Faro, Quercia, Ulivo, Cristallo, Aquila, Leone, Fenice, Delta, Italia`),
    industries: list(`Costruzioni, Logistica, Consulenze, Immobiliare, Trasporti, Informatica,
      Meccanica, Alimentari, Energia, Servizi, Assicurazioni`),
    legalForms: [
      ['srl', 70],
      ['spa', 30],
    ],
    freeMail: ['gmail.com', 'libero.it', 'virgilio.it', 'alice.it', 'hotmail.it', 'tiscali.it'],
    tld: 'it',
    titles: list(
      'Amministratore Delegato, Direttore Commerciale, Responsabile Acquisti, Responsabile IT, Commercialista',
    ),
  },
  NL: {
    stems: list(`Noorderlicht, Polder, Tulp, Molen, Delta, Dijk, Oranje, Zeeland, Waddenzee, Lelie,
      Horizon, Kompas, Vlinder, Zonnebloem, Haven, Duin, Rivierenland, Eiland`),
    industries: list(
      'Bouw, Logistiek, Installatietechniek, Advies, Groep, Techniek, Vastgoed, Transport, Software',
    ),
    legalForms: [
      ['bv', 90],
      ['nv', 10],
    ],
    freeMail: ['gmail.com', 'hotmail.nl', 'ziggo.nl', 'kpnmail.nl', 'outlook.com', 'live.nl'],
    tld: 'nl',
    titles: list('Directeur, Accountmanager, Inkoper, Projectleider, Bedrijfsleider, Adviseur'),
  },
  PL: {
    stems: list(`Wisła, Bałtyk, Tatry, Mazowsze, Orzeł, Bursztyn, Sokół, Jantar, Polonia, Kraków,
      Warta, Odra, Świt, Zorza, Gwiazda, Dąb, Lipa, Wiatr`),
    industries: list('Budownictwo, Logistyka, Doradztwo, Technologie, Handel, Transport, Systemy, Energia'),
    legalForms: [
      ['spzoo', 85],
      ['sa_pl', 15],
    ],
    freeMail: ['gmail.com', 'wp.pl', 'onet.pl', 'o2.pl', 'interia.pl', 'op.pl'],
    tld: 'pl',
    titles: list('Prezes Zarządu, Dyrektor Handlowy, Kierownik Projektu, Specjalista ds. Zakupów, Księgowa'),
  },
  BR: {
    stems: list(`Amazônia, Atlântico, Cruzeiro, Horizonte, Ipê, Jacarandá, Paraná, Tropical, Sol Nascente,
      Aurora, Estrela, Litoral, Planalto, Cerrado, Guanabara, Pampa, Serra Azul, Vitória`),
    industries: list(
      'Construções, Logística, Consultoria, Tecnologia, Comércio, Transportes, Alimentos, Energia',
    ),
    legalForms: [
      ['ltda', 75],
      ['sa_br', 25],
    ],
    freeMail: ['gmail.com', 'hotmail.com', 'uol.com.br', 'bol.com.br', 'yahoo.com.br', 'outlook.com'],
    tld: 'com.br',
    titles: list(
      'Diretor Comercial, Gerente de Vendas, Analista de Compras, Coordenador de Projetos, Contador',
    ),
  },
  RU: {
    stems: list(`Ромашка, Вектор, Альянс, Прогресс, Гарант, Импульс, Меридиан, Восток, Энергия, Сибирь,
      Урал, Волга, Нева, Арктика, Северный ветер, Горизонт, Стандарт, Партнёр, Техно, Авангард`),
    industries: list('Строй, Логистик, Сервис, Инвест, Торг, Софт, Пром, Снаб'),
    legalForms: [
      ['ooo', 85],
      ['ao', 15],
    ],
    freeMail: ['yandex.ru', 'mail.ru', 'gmail.com', 'rambler.ru', 'bk.ru', 'inbox.ru'],
    tld: 'ru',
    titles: list(`Генеральный директор, Коммерческий директор, Менеджер по продажам, Руководитель проекта,
      Главный бухгалтер, Начальник отдела закупок`),
  },
  UA: {
    stems: list(
      'Дніпро, Карпати, Світанок, Сокіл, Калина, Злагода, Промінь, Поділля, Таврія, Горизонт, Вектор',
    ),
    industries: list('Буд, Логістик, Сервіс, Агро, Торг, Софт, Пром'),
    legalForms: [
      ['tov', 90],
      ['prat', 10],
    ],
    freeMail: ['ukr.net', 'gmail.com', 'i.ua', 'meta.ua', 'outlook.com'],
    tld: 'com.ua',
    titles: list('Директор, Менеджер з продажу, Керівник проєкту, Бухгалтер, Головний інженер'),
  },
  GR: {
    stems: list(`Αιγαίο, Ολυμπία, Ερμής, Αθηνά, Ποσειδών, Ήλιος, Δέλτα, Ορίζων, Πήγασος, Ιθάκη,
      Δωδώνη, Αστέρας, Κυκλάδες, Όλυμπος, Ελιά, Πλειάδες`),
    industries: list('Τεχνική, Εμπορική, Κατασκευαστική, Πληροφορική, Μεταφορική, Συμβουλευτική'),
    legalForms: [
      ['ae', 50],
      ['epe', 30],
      ['ike', 20],
    ],
    freeMail: ['gmail.com', 'yahoo.gr', 'hotmail.com', 'otenet.gr', 'windowslive.com'],
    tld: 'gr',
    titles: list(
      'Διευθύνων Σύμβουλος, Διευθυντής Πωλήσεων, Υπεύθυνος Προμηθειών, Λογιστής, Μηχανικός Λογισμικού',
    ),
  },
};

/** English job titles, used in every country (international companies write titles in English). */
export const ENGLISH_TITLES =
  list(`CEO, CFO, CTO, COO, Founder, Managing Director, Head of Sales, Sales Manager,
  Account Executive, Account Manager, Marketing Manager, Head of Marketing, Product Manager, Software Engineer,
  Senior Software Engineer, Engineering Manager, Data Analyst, Operations Manager, Office Manager, HR Manager,
  Recruiter, Procurement Manager, Purchasing Manager, Finance Manager, Controller, Accountant, Consultant,
  Project Manager, Customer Success Manager, Business Development Manager, VP Sales, VP Engineering,
  Director of Operations, IT Manager, Legal Counsel, Executive Assistant, Designer, Buyer, Logistics Coordinator`);
