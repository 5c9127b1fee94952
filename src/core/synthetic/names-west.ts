import { list, type NamePools, stems } from './locale-types.js';

/** English (US and GB), German and Dutch name pools, most frequent first. Invented mixes, no real people. */

const unchanged = (last: string) => last;

const EN_LAST = list(`Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez,
    Hernandez, Lopez, Gonzalez, Wilson, Anderson, Thomas, Taylor, Moore, Jackson, Martin, Lee, Perez,
    Thompson, White, Harris, Sanchez, Clark, Ramirez, Lewis, Robinson, Walker, Young, Allen, King, Wright,
    Scott, Torres, Nguyen, Hill, Flores, Green, Adams, Nelson, Baker, Hall, Rivera, Campbell, Mitchell,
    Carter, Roberts, Gomez, Phillips, Evans, Turner, Diaz, Parker, Cruz, Edwards, Collins, Reyes, Stewart,
    Morris, Morales, Murphy, Cook, Rogers, Gutierrez, Ortiz, Morgan, Cooper, Peterson, Bailey, Reed, Kelly,
    Howard, Ramos, Kim, Cox, Ward, Richardson, Watson, Brooks, Chavez, Wood, James, Bennett, Gray, Mendoza,
    Ruiz, Hughes, Price, Alvarez, Castillo, Sanders, Patel, Myers, Long, Ross, Foster, Jimenez, Powell,
    Jenkins, Perry, Russell, Sullivan, Bell, Coleman, Butler, Henderson, Barnes, Fisher, Vasquez,
    Simmons, Romero, Jordan, Patterson, Alexander, Hamilton, Graham, Reynolds, Griffin, Wallace, Moreno,
    West, Cole, Hayes, Bryant, Herrera, Gibson, Ellis, Tran, Medina, Aguilar, Stevens, Murray, Ford,
    Castro, Marshall, Owens, Harrison, Fernandez, McDonald, Woods, Washington, Kennedy, Wells, Vargas,
    Henry, Chen, Freeman, Webb, Tucker, Guzman, Burns, Crawford, Olson, Simpson, Porter, Hunter, Gordon,
    Mendez, Silva, Shaw, Snyder, Mason, Dixon, Munoz, Hunt, Hicks, Holmes, Palmer, Wagner, Black,
    Robertson, Boyd, Rose, Stone, Salazar, Fox, Warren, Mills, Meyer, Rice, Schmidt, Garza, Daniels,
    Ferguson, Nichols, Stephens, Soto, Weaver, Ryan, Gardner, Payne, Grant, Dunn, Kelley, Spencer,
    Hawkins, Arnold, Pierce, Hansen, Peters, Santos, Hart, Bradley, Knight, Elliott, Cunningham, Duncan,
    Armstrong, Hudson, Carroll, Lane, Riley, Andrews, Ray, Berry, Perkins, Hoffman, Johnston, Matthews,
    Richards, Willis, Carpenter, Lawrence, Smyth, Smythe, Davies, Thomson, Walsh, O'Brien, O'Connor,
    Byrne, McCarthy, Lynch, Doyle, Quinn, Fraser, MacLeod, Lloyd, Griffiths, Pritchard, Hall, Harper,
    Barker, Chapman, Fletcher, Lambert, Marsh, Newman, Parsons, Saunders, Wheeler, Whitehead, Yates`);
const EN_TAIL_PREFIXES = list(`Ash, Black, Brad, Bright, Brook, Cald, Clay, Cran, Dal, Elm, Fair, Fern, Glad,
  Green, Hal, Hart, Hazel, Holl, Kings, Lang, Lind, Marl, Mid, Moor, North, Oak, Red, Ros, Rush, Sand, Shel,
  South, Stan, Thorn, Wake, Wal, West, Whit, Wins, Wood, Ayl, Bel, Bur, Cart, Chad, Dun, East, Fox, Gold, Hamp,
  Hay, Kirk, Lock, Mar, New, Pem, Ram, Rad, Sel, Shep, Stock, Sut, Thurs, Wel`);
const EN_TAIL_SUFFIXES =
  list(`ford, ley, ton, wood, field, well, more, ham, by, wick, worth, bridge, brook, combe,
  stead, hurst, dale, wright, land, cott`);

export const ENGLISH_NAMES: NamePools = {
  male: list(`James, John, Robert, Michael, William, David, Richard, Joseph, Thomas, Charles, Christopher,
    Daniel, Matthew, Anthony, Mark, Donald, Steven, Paul, Andrew, Joshua, Kenneth, Kevin, Brian, George,
    Timothy, Ronald, Edward, Jason, Jeffrey, Ryan, Jacob, Gary, Nicholas, Eric, Jonathan, Stephen, Larry,
    Justin, Scott, Brandon, Benjamin, Samuel, Gregory, Alexander, Frank, Patrick, Raymond, Jack, Dennis,
    Jerry, Tyler, Aaron, Adam, Nathan, Henry, Douglas, Zachary, Peter, Kyle, Ethan, Walter, Noah, Jeremy,
    Christian, Keith, Roger, Terry, Gerald, Harold, Sean, Austin, Carl, Arthur, Lawrence, Dylan, Jesse,
    Jordan, Bryan, Billy, Joe, Bruce, Gabriel, Logan, Albert, Alan, Wayne, Elijah, Randy, Roy, Vincent,
    Ralph, Eugene, Russell, Bobby, Mason, Philip, Louis, Oliver, Harry, Liam, Lucas, Theodore, Owen,
    Callum, Rhys, Connor, Jamie, Lewis, Ross, Stuart, Graham, Neil, Ian, Colin, Gordon, Alistair, Hamish,
    Fergus, Dominic, Toby, Rupert, Martin, Simon, Craig, Gavin, Barry, Trevor, Nigel, Clive, Howard`),
  female: list(`Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Sarah, Karen, Lisa,
    Nancy, Betty, Margaret, Sandra, Ashley, Kimberly, Emily, Donna, Michelle, Carol, Amanda, Dorothy,
    Melissa, Deborah, Stephanie, Rebecca, Sharon, Laura, Cynthia, Kathleen, Amy, Angela, Shirley, Anna,
    Brenda, Pamela, Emma, Nicole, Helen, Samantha, Katherine, Christine, Debra, Rachel, Carolyn, Janet,
    Catherine, Maria, Heather, Diane, Ruth, Julie, Olivia, Joyce, Virginia, Victoria, Kelly, Lauren,
    Christina, Joan, Evelyn, Judith, Megan, Andrea, Cheryl, Hannah, Jacqueline, Martha, Gloria, Teresa,
    Ann, Sara, Madison, Frances, Kathryn, Janice, Jean, Abigail, Alice, Judy, Sophia, Grace, Denise,
    Amber, Doris, Marilyn, Danielle, Beverly, Isabella, Theresa, Diana, Natalie, Brittany, Charlotte,
    Marie, Kayla, Alexis, Lori, Chloe, Sophie, Lucy, Amelia, Fiona, Eleanor, Harriet, Imogen, Poppy,
    Gemma, Kirsty, Siobhan, Claire, Joanne, Alison, Gillian, Hayley, Zoe, Ellie, Jodie`),
  last: EN_LAST,
  tail: [
    [EN_TAIL_PREFIXES, EN_TAIL_SUFFIXES],
    // Smith → Smithson, Clark → Clarkley: derived from the common names.
    [stems(EN_LAST, /(son|s)$/, (s) => !/[aeiouyz]$/.test(s)), list('son, ley, ton, er, man, well, ford')],
  ],
  compoundLast: 0,
  feminize: unchanged,
};

const DE_LAST = list(`Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann,
    Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun, Krüger,
    Hofmann, Hartmann, Lange, Schmitt, Werner, Schmitz, Krause, Meier, Lehmann, Schmid, Schulze, Maier,
    Köhler, Herrmann, König, Walter, Mayer, Huber, Kaiser, Fuchs, Peters, Lang, Scholz, Möller, Weiß,
    Jung, Hahn, Schubert, Vogel, Friedrich, Keller, Günther, Frank, Berger, Winkler, Roth, Beck, Lorenz,
    Baumann, Franke, Albrecht, Schuster, Simon, Ludwig, Böhm, Winter, Kraus, Martin, Schumacher, Krämer,
    Vogt, Stein, Jäger, Otto, Sommer, Groß, Seidel, Heinrich, Brandt, Haas, Schreiber, Graf, Schulte,
    Dietrich, Ziegler, Kuhn, Kühn, Pohl, Engel, Horn, Busch, Bergmann, Thomas, Voigt, Sauer, Arnold,
    Wolff, Pfeiffer, Ernst, Fink, Lindner, Kraft, Brinkmann, Sturm, Dittrich, Zeller, Götz, Wendt, Heß,
    Vetter, Ebert, Voß, Kessler, Kramer, Nowak, Seifert, Hübner, Thiel, Kühne, Marx, Förster, Rieger,
    Witt, Stark, Blum, Ott, Weise, Schütz, Brückner, Hermann, Böttcher, Schilling, Lemke, Fiedler`);
const DE_TAIL_PREFIXES = list(`Acker, Berg, Brand, Eich, Fels, Hoch, Kalt, Lind, Rot, Stein, Wald, Weiß, Grün,
  Schön, Alt, Bach, Birk, Buch, Dorn, Eisen, Feld, Hag, Hein, Hoh, Kirch, Kron, Lauten, Linden, Mühl, Neu, Ober,
  Ross, Sonnen, Tann, Unter, Wies, Ahl, Bern, Dreh, Ebers, Frei, Gold, Hart, Jahn, Kling, Lich, Mett, Renn, Sieg,
  Thal, Vill, Wester`);
const DE_TAIL_SUFFIXES =
  list(`mann, er, hofer, berger, meier, bach, feld, huber, müller, stein, hauser, inger,
  brink, dorf, hagen, kamp, linger, rath, wald`);

export const GERMAN_NAMES: NamePools = {
  male: list(`Peter, Michael, Thomas, Andreas, Wolfgang, Klaus, Jürgen, Stefan, Christian, Uwe, Werner,
    Frank, Hans, Bernd, Matthias, Ralf, Jörg, Martin, Alexander, Dieter, Markus, Sebastian, Daniel,
    Tobias, Jan, Florian, Lukas, Jonas, Leon, Felix, Maximilian, Paul, Niklas, Tim, Moritz, Julian,
    Philipp, Fabian, Dominik, Johannes, Friedrich, Heinrich, Helmut, Günter, Horst, Manfred, Gerhard,
    Karl, Rolf, Norbert, Holger, Torsten, Dirk, Sven, Kai, Björn, Lars, Oliver, Marco, Patrick, Benjamin,
    David, Simon, Jakob, Elias, Ben, Finn, Noah, Luca, Emil, Anton, Till, Henrik, Malte, Hendrik, Ole,
    Jens, Volker, Reinhard, Rüdiger, Ulrich, Detlef, Wilhelm, Georg, Konrad, Ludwig, Otto, Fritz, Joachim,
    Hartmut, Armin, Bernhard, Erich, Kurt, Lothar, Siegfried, Wilfried, Gregor`),
  female: list(`Ursula, Sabine, Monika, Petra, Claudia, Andrea, Susanne, Birgit, Gabriele, Karin,
    Stefanie, Julia, Anna, Katharina, Laura, Lena, Sarah, Lisa, Hannah, Lea, Marie, Sophie, Johanna,
    Leonie, Emma, Mia, Nicole, Sandra, Melanie, Christina, Kerstin, Anja, Heike, Silke, Martina, Renate,
    Ingrid, Helga, Gisela, Brigitte, Elke, Bärbel, Jutta, Doris, Angelika, Christa, Barbara, Nadine,
    Daniela, Tanja, Franziska, Carolin, Jana, Vanessa, Jessica, Kathrin, Miriam, Simone, Antje, Ines,
    Sonja, Jasmin, Annika, Charlotte, Clara, Greta, Ida, Frieda, Mathilda, Käthe, Lotte, Marlene, Ute,
    Dörte, Margarete, Hildegard, Elisabeth, Irmgard, Rosemarie, Waltraud, Anke, Cornelia, Dagmar`),
  last: DE_LAST,
  tail: [
    [DE_TAIL_PREFIXES, DE_TAIL_SUFFIXES],
    [stems(DE_LAST, /(mann|er|e)$/), list('mann, er, ke, ert, el, ing, inger, hoff, rath, brink, meyer')],
  ],
  compoundLast: 0,
  feminize: unchanged,
};

const NL_LAST =
  list(`de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer,
    de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer, de Wit,
    Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok, Jacobs, de Haan, Vermeulen,
    van den Heuvel, van der Veen, van den Broek, de Bruijn, de Bruin, van der Heijden, Schouten,
    van Beek, Willems, van Vliet, van de Ven, Hoekstra, Maas, Verhoeven, Koster, van Dam, van der Wal,
    Prins, Blom, Huisman, Peeters, de Lange, van Wijk, Kuipers, Post, Postma, Kramer, Veenstra,
    Hermans, Timmermans, Wouters, Groen, Gerritsen, Bosch, Visscher, van Rijn, Wijnands, Verbeek`);
const NL_ROOTS =
  list(`Berg, Dijk, Veen, Beek, Bosch, Meer, Heuvel, Wal, Hoek, Broek, Linden, Vliet, Houten, Akker,
  Bunt, Kamp, Laan, Velde, Weide, Zand, Bos, Brink, Dam, Donk, Horst, Kolk, Lind, Molen, Put, Sluis, Steen,
  Valk, Ven, Wier, Zijl, Haar, Hof, Rijn, Wolde, Noord`);

export const DUTCH_NAMES: NamePools = {
  male: list(`Jan, Johannes, Hendrik, Cornelis, Pieter, Willem, Gerrit, Dirk, Jacobus, Adrianus, Thomas,
    Daan, Sem, Lucas, Levi, Bram, Lars, Thijs, Ruben, Jesse, Tim, Niels, Sander, Bas, Joost, Maarten,
    Stijn, Koen, Wouter, Jeroen, Martijn, Rik, Teun, Gijs, Floris, Mees, Jasper, Sven, Kees, Henk, Joop,
    Bert, Frank, Marco, Erik, Rob, Ronald, Arjen, Hans, Peter, Mark, Michiel, Remco, Vincent, Roel`),
  female: list(`Maria, Johanna, Anna, Cornelia, Wilhelmina, Elisabeth, Emma, Julia, Sophie, Tess,
    Lotte, Sanne, Fleur, Anouk, Lisa, Eva, Femke, Iris, Lieke, Marloes, Esther, Ingrid, Annemieke,
    Marieke, Linda, Kim, Mirjam, Saskia, Ilse, Yvonne, Petra, Monique, Janneke, Noor, Roos, Evi, Nina,
    Mila, Zoë, Sara, Hanneke, Karin, Wendy, Renée, Anouk`),
  last: NL_LAST,
  tail: [
    [['van den ', 'van der ', 'van de ', 'van ', 'de ', 'ter ', 'ten '], NL_ROOTS],
    // Bergman, Dijkstra, Veenema, Hoeksma: Dutch and Frisian endings on the same roots.
    [NL_ROOTS, list('man, s, er, ink, stra, ema, inga, sma, ing, ers')],
  ],
  compoundLast: 0,
  feminize: unchanged,
};
