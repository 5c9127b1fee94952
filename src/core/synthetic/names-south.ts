import { list, type NamePools, stems } from './locale-types.js';

/** French, Spanish, Italian and Brazilian name pools, most frequent first. */

const unchanged = (last: string) => last;

const FR_LAST = list(`Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon,
    Laurent, Lefebvre, Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard, André,
    Lefèvre, Mercier, Dupont, Lambert, Bonnet, François, Martinez, Legrand, Garnier, Faure, Rousseau,
    Blanc, Guérin, Muller, Henry, Roussel, Nicolas, Perrin, Morin, Mathieu, Clément, Gauthier, Dumont,
    Lopez, Fontaine, Chevalier, Robin, Masson, Sanchez, Gérard, Nguyen, Boyer, Denis, Lemaire, Duval,
    Joly, Gautier, Roger, Roche, Roy, Noël, Meyer, Lucas, Meunier, Jean, Perez, Marchand, Dufour,
    Blanchard, Marie, Barbier, Brun, Dumas, Brunet, Schmitt, Leroux, Colin, Fernandez, Pierre, Renard,
    Arnaud, Rolland, Caron, Aubert, Giraud, Leclerc, Vidal, Bourgeois, Renaud, Lemoine, Picard, Gaillard,
    Philippe, Leclercq, Lacroix, Fabre, Dupuis, Olivier, Rodriguez, Da Silva, Hubert, Louis, Charles,
    Guillot, Rivière, Le Gall, Guillaume, Adam, Rey, Moulin, Gonzalez, Berger, Lecomte, Ménard, Fleury,
    Deschamps, Carpentier, Julien, Benoît, Paris, Maillard, Marchal, Aubry, Vasseur, Le Roux, Renault,
    Jacquet, Collet, Prévost, Poirier, Charpentier, Royer, Huet, Baron, Dupuy, Pons, Paul, Laine, Carré,
    Breton, Rémy, Schneider, Perrot, Guyot, Barre, Marty, Cousin`);
const FR_ROOTS = list(`bois, mont, fort, champ, pré, rive, roche, val, chêne, pont, lac, moulin, fontaine,
  marais, vigne, grange, fosse, haye, noue, saule, tour, ville, court, mare`);

export const FRENCH_NAMES: NamePools = {
  male: list(`Jean, Pierre, Michel, André, Philippe, Alain, Jacques, Bernard, René, Nicolas, Christophe,
    Patrick, Daniel, Thierry, Stéphane, Éric, Frédéric, Laurent, Julien, Sébastien, David, Olivier,
    François, Pascal, Guillaume, Thomas, Alexandre, Antoine, Maxime, Romain, Vincent, Mathieu, Benoît,
    Jérôme, Cédric, Arnaud, Hugo, Lucas, Louis, Gabriel, Léo, Raphaël, Arthur, Jules, Adam, Théo, Nathan,
    Enzo, Mathis, Clément, Quentin, Baptiste, Yann, Gilles, Marcel, Claude, Henri, Gérard, Yves, Didier,
    Dominique, Jean-Pierre, Jean-Luc, Jean-Marc, Jean-François, Fabrice, Franck, Hervé, Lionel, Xavier`),
  female: list(`Marie, Jeanne, Françoise, Monique, Catherine, Nathalie, Isabelle, Sylvie, Anne, Martine,
    Christine, Valérie, Sandrine, Sophie, Céline, Stéphanie, Julie, Aurélie, Émilie, Camille, Léa, Manon,
    Chloé, Emma, Inès, Jade, Louise, Alice, Lina, Zoé, Élodie, Caroline, Hélène, Laurence, Véronique,
    Brigitte, Nicole, Danielle, Chantal, Josiane, Mathilde, Pauline, Marion, Anaïs, Clémence, Margaux,
    Océane, Charlotte, Lucie, Juliette, Agathe, Héloïse, Marie-Claude, Anne-Sophie, Geneviève, Corinne`),
  last: FR_LAST,
  tail: [
    [list('Du, De la, Le, La, Beau, Mont, Bel, Val, Des, Grand, Lebl, Cham, Char, Bou, Ros'), FR_ROOTS],
    [
      // Only French-sounding bases: no Garcia → Garciain.
      stems(FR_LAST, /(e|in|on|ier|et|ot|eau|and|ard|aud|y|x|s)$/, (s) => !/(a|o|ez|yen)$/.test(s)),
      list('et, ot, eau, ier, in, on, and, ard, aud, elle, ette, ault'),
    ],
  ],
  compoundLast: 0,
  feminize: unchanged,
};

const ES_LAST = list(`García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez, Gómez, Martín,
    Jiménez, Hernández, Ruiz, Díaz, Moreno, Muñoz, Álvarez, Romero, Gutiérrez, Alonso, Navarro, Torres,
    Domínguez, Ramos, Vázquez, Ramírez, Gil, Serrano, Morales, Molina, Blanco, Suárez, Castro, Ortega,
    Delgado, Ortiz, Marín, Rubio, Núñez, Medina, Sanz, Castillo, Iglesias, Cortés, Garrido, Santos,
    Guerrero, Lozano, Cano, Cruz, Méndez, Flores, Prieto, Herrera, Peña, León, Márquez, Cabrera, Gallego,
    Calvo, Vidal, Campos, Reyes, Vega, Fuentes, Carrasco, Diez, Aguilar, Caballero, Nieto, Santana,
    Vargas, Pascual, Giménez, Herrero, Hidalgo, Montero, Lorenzo, Santiago, Benítez, Durán, Ibáñez,
    Arias, Mora, Ferrer, Carmona, Vicente, Rojas, Soto, Crespo, Román, Pastor, Velasco, Parra, Sáez,
    Moya, Bravo, Rivera, Gallardo, Soler`);

export const SPANISH_NAMES: NamePools = {
  male: list(`Antonio, José, Manuel, Francisco, David, Juan, Javier, José Antonio, Daniel, José Luis,
    Francisco Javier, Carlos, Jesús, Alejandro, Miguel, José Manuel, Rafael, Pedro, Ángel, Pablo,
    Miguel Ángel, Sergio, Fernando, Jorge, Luis, Alberto, Álvaro, Juan Carlos, Adrián, Diego, Raúl,
    Enrique, Ramón, Vicente, Iván, Rubén, Óscar, Andrés, Joaquín, Santiago, Eduardo, Víctor, Roberto,
    Jaime, Mario, Ignacio, Alfonso, Salvador, Ricardo, Marcos, Jordi, Emilio, Julián, Gabriel, Tomás,
    Agustín, Gonzalo, Hugo, Lucas, Mateo, Martín, Marc, Nicolás, Guillermo`),
  female: list(`María Carmen, María, Carmen, Ana María, Laura, María Pilar, María Dolores, Isabel, Josefa,
    Ana, Marta, Cristina, Lucía, María Teresa, Francisca, Antonia, Dolores, Sara, Paula, Elena,
    María Ángeles, Raquel, Rosa María, Pilar, Concepción, Manuela, Mercedes, Beatriz, Nuria, Silvia,
    Julia, Rosario, Juana, Irene, Teresa, Encarnación, Alba, Patricia, Montserrat, Andrea, Rocío, Mónica,
    Alicia, Sonia, Sandra, Marina, Sofía, Martina, Noelia, Inmaculada, Claudia, Eva, Verónica, Lorena,
    Ángela, Carla, Natalia, Esther, Guadalupe`),
  last: ES_LAST,
  tail: [
    [
      list('Alta, Bella, Casa, Fuente, Mira, Monte, Peña, Río, Sierra, Valle, Villa'),
      list('mar, flor, nueva, real, verde, sol, blanca, alegre, rubia, fría'),
    ],
  ],
  compoundLast: 0.6,
  feminize: unchanged,
};

const IT_LAST = list(`Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno,
    Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Barbieri, Fontana,
    Santoro, Mariani, Rinaldi, Caruso, Ferrara, Galli, Martini, Leone, Longo, Gentile, Martinelli,
    Vitale, Lombardo, Serra, Coppola, De Santis, D'Angelo, Marchetti, Parisi, Villa, Conte, Ferraro,
    Ferri, Fabbri, Bianco, Marini, Grasso, Valentini, Messina, Sala, De Angelis, Gatti, Pellegrini,
    Palumbo, Sanna, Farina, Rizzi, Monti, Cattaneo, Morelli, Amato, Silvestri, Mazza, Testa, Grassi,
    Pellegrino, Carbone, Giuliani, Benedetti, Barone, Rossetti, Caputo, Montanari, Guerra, Palmieri,
    Bernardi, Martino, Fiore, De Rosa, Ferretti, Bellini, Basile, Riva, Donati, Piras, Vitali,
    Battaglia, Sartori, Neri, Costantini, Milani, Pagano, Ruggiero, Sorrentino, D'Amico, Orlando, Negri`);
const IT_ENDINGS = list('i, ini, etti, elli, ucci, one, oni, ato, ese, ieri, otti, azzi, ello, ucci');

export const ITALIAN_NAMES: NamePools = {
  male: list(`Giuseppe, Giovanni, Antonio, Mario, Luigi, Francesco, Angelo, Vincenzo, Pietro, Salvatore,
    Carlo, Franco, Domenico, Bruno, Paolo, Michele, Giorgio, Aldo, Sergio, Luciano, Alessandro, Andrea,
    Marco, Matteo, Lorenzo, Leonardo, Gabriele, Riccardo, Davide, Stefano, Roberto, Massimo, Fabio,
    Simone, Daniele, Federico, Alberto, Claudio, Emanuele, Tommaso, Nicola, Enrico, Filippo, Edoardo,
    Diego, Luca, Giacomo, Gianluca, Maurizio, Raffaele, Gianni, Cristian, Mattia, Christian, Samuele,
    Alessio, Pasquale, Gennaro, Ottavio, Umberto, Niccolò, Fabrizio`),
  female: list(`Maria, Anna, Giuseppina, Rosa, Angela, Giovanna, Teresa, Lucia, Carmela, Caterina,
    Francesca, Anna Maria, Antonietta, Carla, Elena, Concetta, Rita, Margherita, Franca, Paola, Giulia,
    Chiara, Sara, Martina, Alessia, Valentina, Federica, Silvia, Elisa, Laura, Sofia, Aurora, Ginevra,
    Alice, Emma, Giorgia, Beatrice, Greta, Vittoria, Matilde, Noemi, Roberta, Simona, Cristina, Barbara,
    Monica, Daniela, Patrizia, Stefania, Raffaella, Ilaria, Serena, Claudia, Eleonora, Camilla,
    Benedetta, Arianna`),
  last: IT_LAST,
  tail: [
    [list('Bian, Ross, Ferr, Gall, Mart, Sant, Cost, Fontan, Marin, Mor, Ricc, Bell, Cap, Luc'), IT_ENDINGS],
    // Rossi → Rossetti, Bianchi → Bianchini, Ferrari → Ferrarini.
    [stems(IT_LAST, /[aeio]$/, (s) => /[^aeiou][aeio]$/.test(s)), IT_ENDINGS],
  ],
  compoundLast: 0,
  feminize: unchanged,
};

const BR_LAST = list(`Silva, Santos, Oliveira, Souza, Rodrigues, Ferreira, Alves, Pereira, Lima, Gomes, Costa,
    Ribeiro, Martins, Carvalho, Almeida, Lopes, Soares, Fernandes, Vieira, Barbosa, Rocha, Dias,
    Nascimento, Andrade, Moreira, Nunes, Marques, Machado, Mendes, Freitas, Cardoso, Ramos, Gonçalves,
    Santana, Teixeira, Araújo, Pinto, Correia, Cavalcanti, Monteiro, Moura, Batista, Campos, Castro,
    Reis, Melo, Brito, Azevedo, Farias, Miranda, Barros, Cunha, Pires, Medeiros, Sampaio, Tavares,
    Coelho, Vasconcelos, Bezerra, Nogueira, Aguiar, Fonseca, Pacheco, Siqueira, Queiroz, Rezende,
    Borges, Xavier, Peixoto, Magalhães, da Silva, dos Santos, de Oliveira, de Souza, da Costa, de Lima`);

export const BRAZILIAN_NAMES: NamePools = {
  male: list(`José, João, Antônio, Francisco, Carlos, Paulo, Pedro, Lucas, Luiz, Marcos, Luís, Gabriel,
    Rafael, Daniel, Marcelo, Bruno, Eduardo, Felipe, Raimundo, Rodrigo, Manoel, Mateus, André, Fernando,
    Fábio, Leonardo, Gustavo, Guilherme, Leandro, Tiago, Anderson, Ricardo, Márcio, Jorge, Sebastião,
    Alexandre, Roberto, Edson, Diego, Vitor, Sérgio, Cláudio, Matheus, Thiago, Geraldo, Adriano,
    Luciano, Júlio, Renato, Alex, Vinícius, Rogério, Samuel, Ronaldo, Mário, Flávio, Igor, Davi,
    Arthur, Heitor, Bernardo, Enzo, Miguel, Caio, Otávio`),
  female: list(`Maria, Ana, Francisca, Antônia, Adriana, Juliana, Márcia, Fernanda, Patrícia, Aline,
    Sandra, Camila, Amanda, Bruna, Jéssica, Letícia, Júlia, Luciana, Vanessa, Mariana, Gabriela, Vera,
    Vitória, Larissa, Cláudia, Beatriz, Luana, Rita, Sônia, Renata, Eliane, Josefa, Simone, Natália,
    Cristiane, Carla, Débora, Rosângela, Jaqueline, Rosa, Daniela, Aparecida, Marlene, Terezinha,
    Raimunda, Andréia, Fabiana, Lúcia, Raquel, Ângela, Rafaela, Joana, Luzia, Elaine, Daniele, Regina,
    Sabrina, Helena, Alice, Laura, Valentina, Heloísa, Isabela, Lorena, Manuela, Giovanna`),
  last: BR_LAST,
  tail: [
    [
      list('Bela, Boa, Casa, Fonte, Monte, Ponte, Rio, Serra, Vila, Vista'),
      list('nova, verde, alegre, branca, real, mar, flor, linda'),
    ],
  ],
  compoundLast: 0.5,
  feminize: unchanged,
};
