// placeholder until the bench page lands
