"""Hand-written soap-news test articles for the storyId benchmark (all fictional).

STORIES: each has an original article and a hand-paraphrased rewrite (what another site
writes about the same news). DISTRACTORS: different stories about the same shows and
characters, the hard negatives. `build.py` adds machine-made syndicated copies and light
rewrites and writes `stories.jsonl`.
"""

STORIES = [
    {
        "story": "gh-sonny-exit",
        "original": {
            "site": "soapdirt.example",
            "headline": "General Hospital: Maurice Benard Teases Sonny's Darkest Summer Yet",
            "body": """Maurice Benard says General Hospital fans should brace themselves for a summer unlike any Sonny Corinthos has faced before.

Speaking on his weekly State of Mind livestream, the Emmy winner revealed that the writers have handed him a storyline that pushes Sonny to the edge of the law and his own family. "I read the scripts and I had to sit down," Benard admitted.

The actor hinted that Sonny's latest war with Pikeman will cost him more than a warehouse. Carly, Michael and even Dante are said to be caught in the crossfire when a shipment goes missing on the Port Charles docks.

Benard would not say whether anyone dies, but he promised the episodes airing in July are among the most intense he has shot in thirty years on the show. General Hospital airs weekdays on ABC.""",
        },
        "rewrite": {
            "site": "soaphub.example",
            "headline": "Maurice Benard Warns GH Viewers: Sonny Is About to Face His Toughest Summer",
            "body": """General Hospital star Maurice Benard is warning viewers that Sonny Corinthos is heading into the darkest summer of his life.

On the latest episode of his State of Mind livestream, Benard said the new scripts left him stunned. "I had to sit down after I read them," the Emmy-winning actor told his followers, explaining that the storyline pushes Sonny to the limits of the law and of his family.

According to Benard, the mob boss's ongoing war with Pikeman will cost him far more than a warehouse. When a shipment vanishes on the Port Charles docks, Carly, Michael and Dante all end up caught in the crossfire.

He refused to reveal whether a character will die, but said the July episodes are some of the most intense he has filmed in three decades with GH, which airs weekdays on ABC.""",
        },
    },
    {
        "story": "yr-victor-will",
        "original": {
            "site": "soapoperaspy.example",
            "headline": "Young and the Restless Spoilers: Victor Rewrites His Will, Cuts Out Adam",
            "body": """The Young and the Restless spoilers for next week reveal that Victor Newman makes a decision that will send shock waves through Genoa City.

After Adam's latest betrayal at Newman Media, Victor summons his lawyer Michael Baldwin to the ranch and orders a new will drawn up. Adam's name is struck from every line.

Nikki tries to talk her husband out of it, warning that the move will only push Adam closer to Chelsea and the Abbotts. Victor refuses to listen and signs the papers in front of Nick and Victoria.

Adam learns the truth from Michael at the Grand Phoenix and vows that Victor will regret underestimating him. Expect the Newman family feud to explode before the end of the month on Y&R.""",
        },
        "rewrite": {
            "site": "celebratingthesoaps.example",
            "headline": "Y&R: Victor Newman Disinherits Adam in a Brand New Will",
            "body": """Next week on The Young and the Restless, Victor Newman makes a move that rocks Genoa City: he writes Adam out of his will.

Furious about Adam's most recent betrayal at Newman Media, Victor calls Michael Baldwin to the ranch and tells him to draw up a new will. Every mention of Adam is removed.

Nikki pleads with Victor to reconsider, arguing that cutting Adam off will drive him straight into the arms of Chelsea and the Abbotts. Victor ignores her and signs the documents with Nick and Victoria watching.

When Michael tells Adam what happened during a meeting at the Grand Phoenix, Adam swears his father will regret underestimating him. The Newman feud is set to boil over before the month is out.""",
        },
    },
    {
        "story": "bb-steffy-hope-paris",
        "original": {
            "site": "soapsindepth.example",
            "headline": "Bold and the Beautiful: Steffy and Hope Clash Over Forrester Paris Launch",
            "body": """Tensions reach breaking point at Forrester Creations this week on The Bold and the Beautiful when Steffy and Hope go head to head over the company's Paris launch.

Ridge announces that Forrester will open a boutique on the Champs-Elysees and asks Steffy to lead the project. Hope, who has spent months building Hope for the Future, feels sidelined and accuses Steffy of freezing her out of the plans.

The argument spills into the design office in front of Eric and Brooke. Eric suggests the two women co-host the launch, but Steffy insists the line will not be included in the Paris collection.

Brooke sides with her daughter and confronts Ridge, leaving him torn between the two women in his life once again. B&B airs weekdays on CBS.""",
        },
        "rewrite": {
            "site": "soaps-sheknows.example",
            "headline": "B&B Spoilers: Paris Launch Sparks War Between Steffy and Hope",
            "body": """The Bold and the Beautiful is heading to Paris, but the trip is already tearing Forrester Creations apart as Steffy and Hope clash over who gets to lead the launch.

Ridge reveals plans for a Forrester boutique on the Champs-Elysees and puts Steffy in charge. Hope, who has poured months of work into Hope for the Future, feels pushed aside and accuses Steffy of shutting her out.

Their fight boils over in the design office while Eric and Brooke look on. Eric proposes that they host the launch together, yet Steffy refuses to include Hope's line in the Paris collection.

Brooke backs Hope and takes Ridge to task, leaving him stuck between Brooke and Steffy yet again.""",
        },
    },
    {
        "story": "dool-marlena-possessed",
        "original": {
            "site": "soapoperadigest.example",
            "headline": "Days of Our Lives: Is Marlena Possessed Again? Salem Fears the Worst",
            "body": """Days of Our Lives fans have seen it before, and this week Salem starts to wonder whether history is repeating itself with Marlena Evans.

After a blackout at the Horton town square, Marlena wakes up with no memory of the night and a strange burn mark on her hand. John notices that her eyes flash yellow when she argues with Kristen at the hospital.

Father Eli is called in after the church bells ring on their own at midnight. He tells John that something has followed Marlena home from the Salem Inn and that time is running out.

Deidre Hall told Soap Opera Digest that the story is a nod to the iconic 1995 possession but with a modern twist. Days of Our Lives streams daily on Peacock.""",
        },
        "rewrite": {
            "site": "tvline-soaps.example",
            "headline": "Days Spoilers: Marlena Shows Signs of a New Possession",
            "body": """Is the devil back in Salem? This week on Days of Our Lives, Marlena Evans shows signs that the infamous possession story may be repeating itself.

Marlena comes to after a blackout in Horton town square with no memory of what happened and a mysterious burn on her hand. When she fights with Kristen at the hospital, John notices her eyes turn yellow.

The church bells ring by themselves at midnight, and Father Eli is summoned. He warns John that something followed Marlena back from the Salem Inn and that they do not have much time.

Deidre Hall describes the arc as a tribute to the classic 1995 possession storyline, updated for today's audience. New episodes stream every weekday on Peacock.""",
        },
    },
    {
        "story": "corrie-roy-cafe",
        "original": {
            "site": "digitalspy-soaps.example",
            "headline": "Coronation Street: Roy Cropper Faces Losing Roy's Rolls After Rent Hike",
            "body": """Coronation Street favourite Roy Cropper is facing the loss of his beloved cafe in upcoming scenes after a shock rent increase.

The new owner of the building, a property developer from Manchester, informs Roy that the rent on Roy's Rolls is doubling from next month. Roy, who has run the cafe for more than twenty years, is left stunned.

Evelyn and Nina rally round and organise a fundraiser in the Rovers, while Tyrone and Fiz help to start a petition on the cobbles. Gary Windass offers Roy a loan, but Roy is suspicious of where the money has come from.

David Neilson said Roy would rather lose everything than take dirty money. The drama plays out on ITV1 and ITVX next week.""",
        },
        "rewrite": {
            "site": "soaphub.example",
            "headline": "Corrie Spoilers: Roy's Rolls Under Threat as Rent Doubles",
            "body": """Roy Cropper could lose Roy's Rolls next week on Coronation Street after the cafe's rent is suddenly doubled.

A Manchester property developer who has bought the building tells Roy the rent will double next month. Roy, who has been running the cafe for over two decades, is devastated.

Nina and Evelyn swing into action with a fundraiser at the Rovers, and Fiz and Tyrone get a petition going on the cobbles. When Gary Windass offers a loan, Roy wonders where his money really came from.

Actor David Neilson explained that Roy would sooner lose it all than accept dirty money. The scenes air on ITV1 and ITVX.""",
        },
    },
    {
        "story": "eastenders-sharon-wedding",
        "original": {
            "site": "digitalspy-soaps.example",
            "headline": "EastEnders: Sharon Watts Wedding Ruined by Surprise Return",
            "body": """EastEnders has confirmed that Sharon Watts will walk down the aisle again this spring, but her big day is set to be derailed by an unexpected guest.

Sharon is marrying Keanu Taylor at the Walford registry office, with Kathy and Ian Beale helping to plan the reception at the Queen Vic. As the vows begin, the doors open and a face from Sharon's past walks in.

Producers are keeping the returning character's identity under wraps, but insiders say the arrival will reopen old wounds for the Mitchells and leave Phil furious.

Letitia Dean said filming the wedding was the most fun she has had in years, despite the chaos her character faces. The episodes air on BBC One and iPlayer.""",
        },
        "rewrite": {
            "site": "soapsindepth.example",
            "headline": "EastEnders Spoilers: A Shock Return Crashes Sharon's Wedding",
            "body": """Sharon Watts is getting married again on EastEnders, but a surprise arrival looks set to spoil the celebrations.

Sharon and Keanu Taylor tie the knot at the Walford registry office, while Kathy and Ian Beale arrange the party at the Queen Vic. Just as the couple start their vows, the doors swing open and someone from Sharon's past steps inside.

The soap is keeping the identity of the returning star secret, though sources say the comeback will stir up old wounds for the Mitchells and enrage Phil.

Letitia Dean revealed the wedding shoot was the most fun she has had on set in years, even with all the chaos. The episodes are on BBC One and iPlayer.""",
        },
    },
    {
        "story": "emmerdale-kim-fire",
        "original": {
            "site": "soaphub.example",
            "headline": "Emmerdale: Home Farm Fire Leaves Kim Tate Fighting for Her Life",
            "body": """Emmerdale has revealed first-look pictures from a dramatic fire at Home Farm that leaves Kim Tate fighting for her life.

A blaze breaks out in the stables late at night while Kim is checking on her horses. Will Taylor spots the smoke from the road and runs in to drag her out, but not before she collapses from the fumes.

Police soon suspect that the fire was started deliberately, and a list of suspects with a grudge against Kim starts to grow. Caleb, Dawn and even Will come under suspicion.

Claire King said the stunt took three nights to film and praised the show's fire safety team. Emmerdale airs on ITV1 on weeknights.""",
        },
        "rewrite": {
            "site": "celebratingthesoaps.example",
            "headline": "Emmerdale Spoilers: Kim Tate Critical After Arson at Home Farm",
            "body": """Kim Tate's life hangs in the balance on Emmerdale after a fire tears through the Home Farm stables.

Kim is checking on her horses late at night when the flames take hold. Will Taylor sees smoke from the road and rushes in to pull her out, but Kim has already collapsed from the fumes.

Detectives quickly suspect arson, and the list of people with a grudge against Kim gets longer. Dawn, Caleb and even Will are in the frame.

Claire King revealed that filming the fire took three nights and thanked the safety crew. Catch Emmerdale on ITV1 weeknights.""",
        },
    },
    {
        "story": "hollyoaks-cleo-baby",
        "original": {
            "site": "tvline-soaps.example",
            "headline": "Hollyoaks: Cleo McQueen Announces Surprise Pregnancy",
            "body": """Hollyoaks character Cleo McQueen has a surprise in store for Joel Dexter after discovering that she is pregnant.

Cleo finds out the news after a dizzy spell at The Dog in the Pond, where Mercedes insists on buying a test. The result leaves Cleo overjoyed but nervous about how Joel will react after their rocky year.

Joel initially panics and disappears for the night, leaving Cleo fearing the worst. He returns the next morning with a bunch of flowers and promises to stand by her.

Nadine Mulkerrin said she is excited to explore a new chapter for Cleo, who has been through so much. Hollyoaks airs on Channel 4 and E4.""",
        },
        "rewrite": {
            "site": "digitalspy-soaps.example",
            "headline": "Hollyoaks Spoilers: Cleo Is Pregnant With Joel's Baby",
            "body": """Cleo McQueen is expecting a baby on Hollyoaks, and she is nervous about telling Joel Dexter.

After Cleo comes over dizzy at The Dog in the Pond, Mercedes makes her take a test. Cleo is thrilled by the positive result but worried about Joel's reaction after a difficult year.

Joel panics at first and vanishes for the night, and Cleo fears he has abandoned her. But he comes back the following morning carrying flowers and vows to support her.

Nadine Mulkerrin is looking forward to a new chapter for Cleo after everything the character has suffered. Hollyoaks is on Channel 4 and E4.""",
        },
    },
    {
        "story": "neighbours-karl-retire",
        "original": {
            "site": "soapoperadigest.example",
            "headline": "Neighbours: Karl Kennedy Hangs Up His Stethoscope",
            "body": """Dr Karl Kennedy is finally retiring from medicine on Neighbours after more than three decades treating the residents of Erinsborough.

Karl makes the announcement at a barbecue on Ramsay Street, shocking Susan, Toadie and Melanie. He explains that a recent misdiagnosis shook his confidence and that it is time to step aside for younger doctors.

Susan is privately worried that Karl will not cope with retirement, remembering his disastrous attempt at taking up the guitar. Toadie organises a surprise farewell party at the Waterhole.

Alan Fletcher said he was thrilled with the storyline and assured fans that Karl is not leaving the show. Neighbours streams on Amazon Freevee.""",
        },
        "rewrite": {
            "site": "soapoperaspy.example",
            "headline": "Neighbours Spoilers: Karl Kennedy Decides to Retire",
            "body": """After over thirty years as Erinsborough's doctor, Karl Kennedy is retiring from medicine on Neighbours.

At a Ramsay Street barbecue, Karl tells a stunned Susan, Toadie and Melanie that he is quitting. A recent misdiagnosis has knocked his confidence, he says, and it is time to make way for a younger generation of doctors.

Susan secretly fears Karl will struggle with retired life, recalling the time he tried to learn the guitar. Meanwhile Toadie plans a surprise leaving party at the Waterhole.

Alan Fletcher is delighted with the plot and reassured viewers that Karl is staying on the show. Neighbours is available on Amazon Freevee.""",
        },
    },
    {
        "story": "homeandaway-alf-boat",
        "original": {
            "site": "soapsindepth.example",
            "headline": "Home and Away: Alf Stewart Missing at Sea After Storm",
            "body": """Summer Bay is in shock on Home and Away as Alf Stewart goes missing at sea during a violent storm.

Alf takes his boat out early in the morning to check on a mooring, ignoring warnings from Irene and Roo about the weather. By lunchtime the coast guard loses radio contact with him.

Roo leads a search from the Pier Diner with help from Justin and Leah, while Cash coordinates with the police helicopter. As night falls there is still no sign of Alf.

Ray Meagher said filming on the water was tough but rewarding. Home and Away airs on Seven and 7plus in Australia and Channel 5 in the UK.""",
        },
        "rewrite": {
            "site": "soaps-sheknows.example",
            "headline": "Home and Away Spoilers: Storm Leaves Alf Lost at Sea",
            "body": """A fierce storm hits Summer Bay on Home and Away and Alf Stewart disappears at sea.

Despite Roo and Irene warning him about the weather, Alf heads out on his boat in the early morning to check a mooring. The coast guard loses radio contact by midday.

Roo launches a search from the Pier Diner with Leah and Justin, and Cash works with the police helicopter. By nightfall Alf still has not been found.

Ray Meagher described filming on the water as challenging but worth it. The show airs on Seven and 7plus in Australia and Channel 5 in the UK.""",
        },
    },
    {
        "story": "gh-casting-new-spencer",
        "original": {
            "site": "soaphub.example",
            "headline": "General Hospital Recasts Spencer Cassadine",
            "body": """General Hospital has cast a new actor in the role of Spencer Cassadine, ABC confirmed on Monday.

Newcomer Jordan Blake will take over the part later this month, after Nicholas Chavez stepped away from the soap to pursue film projects. Blake previously appeared in several regional theatre productions in Chicago.

Executive producer Frank Valentini said the team was impressed by Blake's audition and believes he will bring a fresh energy to Spencer's complicated relationships with Trina, Nikolas and Esme.

Blake's first airdate has not been announced, but he begins filming at the Prospect Studios next week. General Hospital airs weekdays on ABC.""",
        },
        "rewrite": {
            "site": "tvline-soaps.example",
            "headline": "GH Casting News: Jordan Blake Is the New Spencer",
            "body": """ABC confirmed on Monday that General Hospital has recast Spencer Cassadine.

Jordan Blake, a newcomer who has worked in regional theatre in Chicago, will step into the role later this month following Nicholas Chavez's exit to focus on movies.

According to executive producer Frank Valentini, Blake's audition impressed the team, and they expect him to bring new energy to Spencer's tangled relationships with Nikolas, Esme and Trina.

No first airdate has been set yet, although Blake starts filming at Prospect Studios next week. General Hospital airs weekdays on ABC.""",
        },
    },
    {
        "story": "yr-ratings-record",
        "original": {
            "site": "soapoperaspy.example",
            "headline": "Young and the Restless Tops Daytime Ratings for 35th Straight Year",
            "body": """The Young and the Restless has finished the television season as the number one daytime drama for the thirty-fifth consecutive year.

According to Nielsen figures released on Tuesday, the CBS soap averaged 3.9 million total viewers across the season, ahead of The Bold and the Beautiful and General Hospital.

The show also led among women aged 25 to 54, a key demographic for advertisers. CBS credited storylines involving the Newman and Abbott families for keeping audiences loyal.

Executive producer Josh Griffith thanked fans and the cast, saying the milestone belonged to everyone who has watched the show since 1973.""",
        },
        "rewrite": {
            "site": "soapsindepth.example",
            "headline": "Y&R Celebrates 35 Years as Daytime's Most Watched Soap",
            "body": """For the thirty-fifth year running, The Young and the Restless ends the season as daytime's most watched drama.

Nielsen numbers released on Tuesday show the CBS soap drew an average of 3.9 million viewers, beating The Bold and the Beautiful and General Hospital.

Y&R was also the top soap with women 25 to 54, a group advertisers prize. The network pointed to the Newman and Abbott family stories as the reason viewers keep tuning in.

Josh Griffith, the show's executive producer, thanked the audience and the cast and said the milestone belongs to every fan who has watched since 1973.""",
        },
    },
    {
        "story": "eastenders-anniversary-live",
        "original": {
            "site": "digitalspy-soaps.example",
            "headline": "EastEnders Confirms Live Episode for 40th Anniversary",
            "body": """EastEnders will mark its fortieth anniversary with a live episode, the BBC has announced.

The special will air on the evening of February 19 and will see the residents of Albert Square gather for a celebration at the Queen Vic that goes badly wrong. Executive producer Chris Clenshaw promised a shocking twist that viewers will vote on.

It is the first live episode of the soap since 2010, when Stacey Slater was unmasked as Archie Mitchell's killer. Cast members have been rehearsing for weeks at Elstree Studios.

The anniversary week will also include a documentary about the history of the show and the return of several former characters.""",
        },
        "rewrite": {
            "site": "soaps-sheknows.example",
            "headline": "EastEnders Going Live to Celebrate 40 Years",
            "body": """The BBC has announced that EastEnders will celebrate forty years on screen with a live episode.

Airing on the night of February 19, the special sees Albert Square's residents throw a party at the Queen Vic, and things go badly wrong. Chris Clenshaw, the executive producer, says there will be a shock twist decided by a viewer vote.

This will be the soap's first live episode since 2010, when Stacey Slater was revealed as Archie Mitchell's killer. The cast have spent weeks rehearsing at Elstree.

The anniversary week also brings a documentary on the show's history and the return of a number of old faces.""",
        },
    },
    {
        "story": "bb-eric-health",
        "original": {
            "site": "soapoperadigest.example",
            "headline": "Bold and the Beautiful: Eric Forrester Hides a Health Crisis",
            "body": """Eric Forrester is keeping a devastating secret on The Bold and the Beautiful as he hides a serious health diagnosis from his family.

After collapsing briefly in his studio, Eric visits Dr Finn Finnegan, who runs tests and gives him difficult news. Eric swears Finn to secrecy, insisting he wants to finish one last collection before anyone finds out.

Donna grows suspicious when Eric starts making mistakes in the fittings and forgets an important meeting with Ridge. RJ, who has been helping his grandfather in the studio, also senses something is wrong.

John McCook told reporters the story is a love letter to Eric's legacy as a designer and a father.""",
        },
        "rewrite": {
            "site": "celebratingthesoaps.example",
            "headline": "B&B: Eric Keeps His Illness Secret From the Forresters",
            "body": """On The Bold and the Beautiful, Eric Forrester is hiding a serious illness from the people closest to him.

Eric briefly collapses in his studio and goes to see Finn, who runs tests and delivers tough news. Eric makes Finn promise to keep quiet because he wants to complete one final collection before the family learns the truth.

Donna starts to worry when Eric makes errors in fittings and misses a key meeting with Ridge, and RJ, who has been working alongside his grandfather, also notices that something is off.

According to John McCook, the storyline is a love letter to Eric as both a designer and a father.""",
        },
    },
]

# Same shows, same characters, different news: the hard negatives.
DISTRACTORS = [
    {
        "site": "soapdirt.example",
        "headline": "General Hospital: Carly and Jason Reunite at Kelly's Diner",
        "body": """General Hospital spoilers tease that Carly Spencer and Jason Morgan share a tender moment at Kelly's this week.

Carly is struggling to keep the Metro Court afloat after a string of bad reviews and turns to her oldest friend for advice. Jason offers to help with the books, but Carly worries about what Drew will think.

Michael and Willow stop by the diner and notice how close Carly and Jason look. Michael warns his mother not to make the same mistakes again.

Later in the week Sonny asks Jason for a favour on the docks, putting him in an awkward spot with Carly. General Hospital airs weekdays on ABC.""",
    },
    {
        "site": "soaphub.example",
        "headline": "General Hospital: Dante Investigates a Shooting on the Port Charles Docks",
        "body": """Detective Dante Falconeri catches a dangerous new case on General Hospital when a body is found on the Port Charles docks.

The victim is a dock worker who had been seen arguing with one of Pikeman's men. Dante and Chase search the warehouse and find evidence that points to a cover-up at the PCPD.

Sam offers to help Dante look into the dock worker's finances, but Dante wants her to stay away from the case. Sonny insists his organisation had nothing to do with the shooting.

Dominic Zamprogna said the storyline puts Dante in the impossible position of investigating his own father's territory.""",
    },
    {
        "site": "soapoperaspy.example",
        "headline": "Young and the Restless: Nick Newman Buys a Stake in Crimson Lights",
        "body": """Nick Newman is branching out on The Young and the Restless by buying a stake in Crimson Lights.

Nick approaches Noah with an offer to expand the coffee house into a music venue. Sharon is thrilled to have a new partner but worries that Victor will see the deal as another sign that Nick has turned his back on Newman Enterprises.

Victoria encourages her brother to follow his heart, while Nikki throws a small party at the ranch to celebrate. Victor arrives late and makes a pointed remark about family loyalty.

Joshua Morrow said Nick finally wants to build something that is entirely his own, away from his father's empire.""",
    },
    {
        "site": "celebratingthesoaps.example",
        "headline": "Young and the Restless: Adam and Chelsea Plan a Move to Europe",
        "body": """Adam Newman and Chelsea Lawson are ready to leave Genoa City behind on The Young and the Restless.

Adam surprises Chelsea with tickets to Milan after a job offer from a European media company. Chelsea is tempted but worries about taking Connor away from his friends and from Billy.

Billy pushes back hard when he learns about the plan and threatens to go to court. Adam accuses Billy of using Connor to score points, and the two nearly come to blows at the Athletic Club.

Mark Grossman said the storyline gives Adam a chance to prove he has changed. Y&R airs weekdays on CBS.""",
    },
    {
        "site": "soapsindepth.example",
        "headline": "Bold and the Beautiful: Brooke Logan Launches a Lingerie Line",
        "body": """Brooke Logan returns to her roots on The Bold and the Beautiful as she launches a new lingerie line at Forrester Creations.

Brooke pitches the idea to Ridge and Eric in the design office, reminding them that her Brooke's Bedroom collection once saved the company. Eric loves the concept, but Ridge worries about clashing with Steffy's plans.

Katie and Donna help Brooke prepare a runway show, while Hope models a few of the designs. Steffy is unimpressed and questions whether the company needs another line.

Katherine Kelly Lang said she has always loved the glamour of Brooke's fashion storylines.""",
    },
    {
        "site": "soaps-sheknows.example",
        "headline": "Bold and the Beautiful: Liam and Hope Renew Their Vows",
        "body": """Liam Spencer and Hope Logan are celebrating their love on The Bold and the Beautiful with a vow renewal on the beach.

Liam plans the ceremony as a surprise, with help from Wyatt and Bill. Hope is overwhelmed when she arrives to find her family waiting by the water at sunset.

Brooke gives an emotional toast, but the celebration is interrupted when Thomas arrives with news about Douglas. Steffy and Finn quietly leave the party early.

Scott Clifton said the episode was filmed on location in Malibu and was one of his favourite days on set.""",
    },
    {
        "site": "soapoperadigest.example",
        "headline": "Days of Our Lives: John Black Returns to the ISA",
        "body": """John Black is back in the spy game on Days of Our Lives after the ISA asks him to take on one final mission.

Steve Johnson brings the offer to the Brady Pub, explaining that an old enemy has resurfaced in Europe. John is reluctant to leave Marlena, but she encourages him to go.

Kayla and Steve argue over whether Steve should join the mission, while Shane Donovan helps with the planning from Salem. John leaves town at the end of the week with a warning for Marlena to be careful.

Drake Hogestyn's storyline was one of his last on the show and is a tribute to his years as John.""",
    },
    {
        "site": "tvline-soaps.example",
        "headline": "Days of Our Lives: Kristen DiMera Escapes From Prison Again",
        "body": """Kristen DiMera is on the loose in Salem once more on Days of Our Lives after a daring prison escape.

Kristen uses one of her famous masks to walk out of Statesville disguised as a guard. By the time the alarm is raised she is already on a train to Salem.

Brady is horrified when Rachel tells him she saw her mother in the town square. Marlena and John warn everyone to lock their doors, while EJ quietly wonders how he can use the escape to his advantage.

Stacy Haiduk said playing Kristen's disguises never gets old.""",
    },
    {
        "site": "digitalspy-soaps.example",
        "headline": "Coronation Street: Gary Windass Opens a New Builders Yard",
        "body": """Gary Windass is going into business for himself on Coronation Street as he opens a builders yard on the edge of Weatherfield.

Gary buys the yard with money he claims came from a property deal, and hires Tyrone and Kevin to help him get started. Maria is proud of him but worries about the risk.

Roy Cropper is suspicious of the timing and asks Evelyn what she knows about Gary's finances. Meanwhile Sarah offers to do the accounts, which leads to an awkward discovery.

Mikey North said Gary wants to prove he can be a legitimate businessman. Coronation Street airs on ITV1.""",
    },
    {
        "site": "soaphub.example",
        "headline": "EastEnders: Phil Mitchell Sells the Arches",
        "body": """Phil Mitchell shocks Walford on EastEnders by putting the Arches up for sale.

Phil tells Ben and Jay that he is tired of the business and wants a quieter life with Sharon nearby. Ben thinks his father is hiding something, while Jay worries about losing his job.

Kat Slater and Alfie Moon consider buying the garage, and an unexpected rival bid comes in from Ian Beale. The Queen Vic becomes the scene of a tense negotiation.

Steve McFadden said Phil's decision comes from a place of exhaustion. EastEnders airs on BBC One.""",
    },
    {
        "site": "celebratingthesoaps.example",
        "headline": "Emmerdale: Kim Tate Buys the Woolpack",
        "body": """Kim Tate is adding another business to her empire on Emmerdale as she makes an offer to buy the Woolpack.

Charity and Marlon are stunned when Kim arrives at the pub with a contract and a generous offer. Chas wants to refuse, but the pub's debts make the deal hard to turn down.

Will Taylor advises Kim to be careful, warning that the villagers will see the purchase as a power grab. Caleb and Dawn disagree about whether Kim is making the right move.

Claire King said Kim loves nothing more than owning the place where everyone gossips about her.""",
    },
    {
        "site": "tvline-soaps.example",
        "headline": "Hollyoaks: Mercedes McQueen Plans a Comeback Wedding",
        "body": """Mercedes McQueen is planning her ninth wedding on Hollyoaks, and she wants it to be the biggest one yet.

Mercedes books The Dog in the Pond for the reception and asks Cleo and Goldie to be bridesmaids. Joel offers to handle the music, but Mercedes has other ideas.

The McQueens clash over the guest list when Mercedes invites an old enemy. Cleo worries that the day will end in disaster like so many McQueen weddings before.

Jennifer Metcalfe said she was thrilled to wear another wedding dress. Hollyoaks airs on Channel 4.""",
    },
    {
        "site": "soapoperaspy.example",
        "headline": "Neighbours: Susan Kennedy Goes Back to Teaching",
        "body": """Susan Kennedy is heading back to the classroom on Neighbours as she accepts a teaching job at Erinsborough High.

Susan surprises Karl with the news over dinner at the Waterhole. Karl supports her but jokes that she will soon be marking his crossword.

Toadie and Melanie throw her a small party on Ramsay Street, where Susan reveals that she will be teaching English literature. Some of the students are less excited than she is.

Jackie Woodburne said Susan has always been a teacher at heart.""",
    },
    {
        "site": "soapsindepth.example",
        "headline": "Home and Away: Roo Stewart Opens a Bed and Breakfast",
        "body": """Roo Stewart is starting a new chapter on Home and Away as she opens a bed and breakfast in Summer Bay.

Roo converts part of the farmhouse into guest rooms with help from Alf and Irene. The first guests arrive the same weekend and turn out to be a demanding couple from Sydney.

Leah offers to cook breakfast, while Justin fixes a leaking roof just in time. Alf grumbles about strangers in the house but soon warms to the idea.

Georgie Parker said she loved seeing Roo take charge of her own business.""",
    },
    {
        "site": "soaphub.example",
        "headline": "General Hospital: Sonny Corinthos Opens a New Restaurant",
        "body": """Sonny Corinthos is expanding his legitimate businesses on General Hospital as he opens a new Italian restaurant in Port Charles.

Sonny asks Carly to help with the opening night, and invites Michael, Dante and Kristina. Nina is hurt when she learns about the guest list.

The night goes smoothly until a health inspector arrives and threatens to close the restaurant. Sonny suspects that Pikeman sent him.

Maurice Benard said it was nice to play a lighter storyline for Sonny for once.""",
    },
]
