/**
 * Given names: nicknames, diminutives and the same name in other languages (German, Dutch, French,
 * Spanish, Italian, Portuguese, Polish, Russian, Ukrainian, Greek; scripts already transliterated) under
 * one canonical name, so "Bob Smith" and "Robert Smith" agree exactly. A short form that belongs to
 * several names (Sam: Samuel, Samantha; Chris; Alex; Sasha; Jan; Pat) is listed under each: PRIMARY
 * says which one it reads as first, the others are alternatives the name comparator and blocking also
 * accept.
 */
import { foldRomanization } from './romanize.js';

// canonical: variants (space separated).
const CANONICAL_VARIANTS: Record<string, string> = {
  abigail: 'abby abbie',
  agnes: 'agnieszka aga agnese',
  albert: 'bertie',
  alexander:
    'alex alec alexandr aleksandr aleksander alejandro alessandro alexandre sasha sacha sashka ' +
    'sandro olek oleksandr xander alek ale sania sanya sashko aleksandar',
  alexandra: 'aleksandra alessandra alejandra oleksandra ola sasha alex sandra sacha',
  alexey: 'alexei aleksei aleksey alyosha lyosha alexej lesha',
  alfred: 'alf alfie',
  anastasia: 'nastya anastasiya nastia',
  andrew: 'andy drew andreas andre andres andrzej andrei andrey andriy',
  anne: 'ann annie anya ania anja annette anna',
  anthony: 'tony antony anton antonio antoine antoni tonio tonho toninho antonios antonis toni',
  antonia: 'toni antonina tonia',
  arthur: 'art artie artur arturo',
  athanasios: 'thanasis thanos athanasius',
  barbara: 'barb barbie babs basia varvara',
  basil: 'vasileios vasilios vasilis vasily vasiliy vasilii vasya wassily vasyl',
  benjamin: 'ben benny benji beniamino',
  charles: 'charlie chuck chas carlos carlo karl carl karol charly',
  charlotte: 'charlie lotte lottie carlota carlotta',
  christine: 'christina kristina kristine krystyna christiane cristina chris chrissy',
  christopher: 'chris kit topher christoph christophe cristoforo cristobal krzysztof krzys',
  concepcion: 'concha',
  constantine: 'kostas kostis konstantin kostya konstantinos costantino konstanty',
  cornelius: 'cornelis kees cees',
  daniel: 'dan danny danilo daniil danylo',
  david: 'dave davey davie davide dawid',
  deborah: 'deb debbie debby debra',
  dmitry: 'dima dimitri dimitry dmitri dimitrij dmytro mitya dimitrios dimitris mitsos',
  dolores: 'lola',
  dominic: 'dominique dom domenico dominik domingo dominick',
  donald: 'don donnie donny',
  douglas: 'doug dougie',
  edward: 'ed eddie eddy ned ted teddy edouard eduardo edoardo eduard edvard',
  elizabeth:
    'liz lizzie lizzy beth betty betsy bess eliza liza elisabeth elisabetta elzbieta elisabet ' +
    'elizaveta elisa',
  eugene: 'gene eugen evgeny evgeniy yevgeny yevgeniy eugenio zhenya',
  evangelos: 'vangelis',
  frances: 'fran frannie francesca franziska francoise franzi francisca chica',
  francis: 'frank frankie franz francesco francisco francois franciszek paco pancho franco cecco curro fran',
  frederick: 'fred freddie freddy fritz friedrich frederic federico fryderyk frederik',
  gabriel: 'gabe gabriele gavriil',
  george:
    'georgie jorge georg georges giorgio jerzy georgiy georgy yegor egor giorgos georgios ' +
    'yiorgos yorgos',
  gerald: 'gerry jerry gerard gerhard',
  gregory: 'greg gregor gregorio gregoire grzegorz grigory grigoriy grisha',
  guadalupe: 'lupe',
  helen: 'helena helene elena nell nellie yelena jelena eleni',
  henry: 'hank harry hal heinrich henri enrique enrico henryk heinz hendrik henk',
  ignatius: 'ignacio nacho ignazio ignacy',
  isaac: 'ike isaak',
  jacob: 'jake jakob jakub yakov giacomo kuba jacobus koos jaap',
  james: 'jim jimmy jimmie jaime jacques',
  janet: 'jan janette',
  jeffrey: 'jeff geoffrey geoff jeffery',
  jennifer: 'jen jenny jenn jennie',
  jessica: 'jess jessie',
  john: 'nino johnny johann johannes hans juan giovanni gianni ivan vanya ioannis jan jon',
  jonathan: 'jonny',
  joseph: 'joe joey jose josef giuseppe beppe pepe jozef iosif osip sepp peppe',
  joshua: 'josh',
  julia: 'yulia yuliya iuliia giulia julija julka',
  katherine:
    'kate katie katy kathy cathy kath kat kitty kathryn katharine kathrine catherine catharine ' +
    'catherina katarzyna kasia katharina katrin katja catalina caterina ekaterina yekaterina ' +
    'katya katerina kateryna aikaterini ekaterini kathi',
  kenneth: 'ken kenny',
  kimberly: 'kim kimberley',
  lawrence: 'larry laurence laurent lorenzo lorenz wawrzyniec',
  leonard: 'len lenny leonardo leonid lyonya',
  louis: 'lou louie luis luigi ludwig ludovic ludwik',
  luke: 'lukas lucas luca luka lukasz luc',
  manuel: 'manolo emmanuel emanuel emanuele manolis emmanouil manny',
  margaret:
    'maggie meg peggy marge margie greta gretchen margarete marguerite margarita margherita ' +
    'malgorzata gosia malgosia',
  mary: 'maria marie mariya marya masha maryla marysia',
  matthew: 'matt matty matthias mathias mathieu matteo mateo mateusz matvey matze',
  maximilian: 'max maxi maximilien massimiliano maksymilian',
  michael: 'mike mick mickey mikey micky michel michele miguel michal mikhail misha mikael',
  natalia: 'natasha natalie nataliya natalya nathalie natalija natalka',
  nicholas: 'nick nicky nico nicolas nikolaus niklas nicola nikolai nikolay kolya mikolaj nikolaos nikos',
  olga: 'olya olenka',
  panagiotis: 'panayiotis panos',
  patricia: 'patty patti trish tricia patrizia pat',
  patrick: 'pat paddy patricio patrizio',
  paul: 'pablo paolo pawel pavel paulo',
  peter: 'pete pierre pedro pietro piotr pyotr petr petya piet',
  philip: 'phil pip phillip philipp philippe felipe filippo filip',
  raymond: 'ray raimund raimondo ramon',
  rebecca: 'becky becca becki rebekah',
  richard: 'rick ricky dick rich richie ricardo riccardo ryszard',
  robert: 'bob bobby rob robbie robby roberto robbert',
  ronald: 'ron ronnie ronny',
  samantha: 'sam sammy',
  samuel: 'sam sammy samuele',
  sergey: 'sergei serge sergio sergiy seryozha serezha sergej serhiy',
  sophia: 'sophie sofia sofie zofia zosia sonya sofiya',
  spyridon: 'spiridon spyros spiros',
  stephanie: 'stefanie steffi stefania stephany stefani',
  stephen: 'steve stevie steven stefan stephan stephane esteban stefano stepan etienne',
  susan: 'sue susie suzy suzanne susanne susanna zuzanna',
  tatiana: 'tanya tatyana tatjana tania',
  theodore: 'theo teodoro fyodor fedor feodor',
  thomas: 'tom tommy thom tomas tomasz tommaso foma tomek',
  timothy: 'tim timmy timofey timothee',
  victoria: 'vicky vickie tori viktoria vittoria',
  vladimir: 'vova volodya wladimir wlodzimierz volodymyr',
  walter: 'walt wally gualtiero',
  wilhelmina: 'mien wilma mina',
  william: 'bill billy will willy willie liam wilhelm guillaume guillermo guglielmo wim',
  wojciech: 'wojtek',
  wolfgang: 'wolf',
  yuri: 'yury jurij iouri yurii yuriy',
  zachary: 'zach zack zak',
};

const NICKNAMES = new Map<string, string[]>();
for (const [canonical, variants] of Object.entries(CANONICAL_VARIANTS)) {
  for (const name of [canonical, ...variants.split(' ')]) {
    const key = foldRomanization(name);
    const list = NICKNAMES.get(key);
    if (list === undefined) NICKNAMES.set(key, [canonical]);
    else if (!list.includes(canonical)) list.push(canonical);
  }
}

// A short form shared by several names reads first as the one it most often stands for.
const PRIMARY: Record<string, string> = {
  alex: 'alexander',
  sasha: 'alexander',
  sacha: 'alexander',
  toni: 'anthony',
  charlie: 'charles',
  chris: 'christopher',
  fran: 'francis',
  jan: 'john',
  pat: 'patrick',
  sam: 'samuel',
  sammy: 'samuel',
};
for (const [short, primary] of Object.entries(PRIMARY)) {
  const list = NICKNAMES.get(foldRomanization(short));
  if (list?.includes(primary)) list.sort((a, b) => (a === primary ? -1 : b === primary ? 1 : 0));
}

/** Number of spellings the map knows (for docs and tests). */
export const NICKNAME_COUNT = NICKNAMES.size;

/**
 * Canonical forms of one lower-case ASCII word: primary first, then alternatives (a shared short form).
 * Unknown words give their romanization-folded self.
 */
export function canonicalGivenNames(word: string): readonly string[] {
  const folded = foldRomanization(word);
  return NICKNAMES.get(folded) ?? [folded];
}

/** The primary canonical form of a given name (Bob → robert, Dmitrii → dmitry, Sasha → alexander). */
export function canonicalGivenName(word: string): string {
  return canonicalGivenNames(word)[0]!;
}
